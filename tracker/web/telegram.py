"""The Telegram webhook: ``POST /telegram/webhook`` with the secret set by ``setWebhook``.

No session, no CSRF token: the ``X-Telegram-Bot-Api-Secret-Token`` header (compared in
constant time) is the only credential. Wrong or missing: 403, and nothing is done.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, jsonify, request

from tracker.extensions import limiter
from tracker.services.telegram_bot import handle_update

telegram = Blueprint("telegram", __name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _secret_matches() -> bool:
    expected = current_app.config.get("TELEGRAM_WEBHOOK_SECRET") or ""
    given = request.headers.get(SECRET_HEADER, "")
    # No secret configured: no update is believed (an open webhook would let anyone in).
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@telegram.route("/telegram/webhook", methods=["POST"])
@limiter.exempt
def webhook():
    """Take one update from Telegram; always 200 once it is believed (Telegram re-sends else)."""
    if not _secret_matches():
        abort(403)
    update = request.get_json(silent=True)
    if not isinstance(update, dict):
        abort(400)
    handle_update(update)
    return jsonify(_acknowledgement(update))


def _acknowledgement(update: dict) -> dict:
    """The answer to a button press, in the webhook's own response (no outbound call): it
    stops the spinner on the button. Anything else gets an empty answer."""
    query = update.get("callback_query")
    query_id = query.get("id") if isinstance(query, dict) else None
    if isinstance(query_id, str) and 0 < len(query_id) <= 64:
        return {"method": "answerCallbackQuery", "callback_query_id": query_id}
    return {}
