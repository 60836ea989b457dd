"""What the tracker announces when it records something; listeners run in the same transaction.

Services send these; `notifications` listens (connected in create_app), so neither imports the
other. A listener only adds rows to the session: the service's unit of work commits them with
the event, or rolls them back with it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the case as sender, and `event` (the creation event) and `access_code` (in clear,
# this once) as keywords.
case_logged = _signals.signal("case-logged")
# Sent with the case as sender and `event` as keyword, for every event of its audit trail.
event_recorded = _signals.signal("event-recorded")
# Sent with the user as sender and `template`, `context` (the link in clear, this once) and `now`
# as keywords, when an invitation or a password-reset link is issued.
account_link_issued = _signals.signal("account-link-issued")
# Sent with a Telegram chat id (text) as sender and `template`, `context`, `language`, `now` and
# `case_id` (or None) as keywords: the bot answers that chat (through the outbox, like all else).
chat_reply = _signals.signal("chat-reply")
# Sent with the case as sender and `raiser`, `event` and `access_code` (in clear, this once) as
# keywords, when a further raiser joins the case (tracker.services.raisers).
raiser_added = _signals.signal("raiser-added")
