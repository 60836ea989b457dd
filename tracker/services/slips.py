"""Intake slips: per case its reference, access code, title, forum and a QR code of its status
page (reference filled in), for the person who raised it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from flask import current_app

from tracker import access
from tracker.extensions import db
from tracker.models import Case, Forum, User
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.services.references import access_code_matches
from tracker.services.telegram_tokens import bot_link

MAX_SLIPS = 1000


@dataclass(frozen=True)
class Slip:
    """One printed slip."""

    reference: str
    access_code: str | None
    title: str
    forum_title: str
    language: str
    status_url: str
    qr_svg: str
    # The bot's deep link for this case (t.me/<bot>?start=<token>) where Telegram is set up.
    telegram_url: str | None = None
    telegram_qr_svg: str | None = None


def status_url(reference: str) -> str:
    """The public status page with the reference filled in (BASE_URL)."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return f"{base}/status?{urlencode({'reference': reference})}"


def qr_code(url: str) -> segno.QRCode:
    """The QR code of a link (error correction M: a creased slip still scans)."""
    return segno.make(url, error="m", micro=False)


def parse_references(text: str | Sequence[str] | None) -> list[str]:
    """References from a comma-separated list (or a list), each once, in order."""
    items = text.split(",") if isinstance(text, str) else list(text or [])
    return list(dict.fromkeys(item.strip() for item in items if item and item.strip()))


def forum_cases(actor: User, forum_id: int, references: Sequence[str]) -> tuple[Forum, list[Case]]:
    """The forum and those of its cases named (staff), in the order given."""
    if not access.can_reissue_access_codes(actor):
        raise PermissionDenied("Only staff print intake slips.")
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise NotFound("No such forum.")
    if len(references) > MAX_SLIPS:
        raise ValidationFailed(
            f"At most {MAX_SLIPS} slips at a time.", {"references": ["Too many references."]}
        )
    found = {
        case.reference: case
        for case in db.session.scalars(
            access.visible_cases(actor).where(
                Case.forum_id == forum.id, Case.reference.in_(references)
            )
        )
    }
    missing = [ref for ref in references if ref not in found]
    if missing:
        raise ValidationFailed(
            "Some references are not cases of this forum.", {"references": missing}
        )
    return forum, [found[ref] for ref in references]


def make_slips(forum: Forum, cases: Sequence[Case], codes: Mapping[str, str]) -> list[Slip]:
    """The slips of these cases; a code is printed only if it is the case's current one."""
    slips = []
    for case in cases:
        code = codes.get(case.reference)
        if code is not None and not access_code_matches(case.access_code_hash, code):
            raise ValidationFailed(
                "An access code does not belong to its case.",
                {"codes": [case.reference]},
            )
        url = status_url(case.reference)
        svg = qr_code(url).svg_inline(scale=3, border=2, title=case.reference)
        bot = bot_link(case)
        bot_svg = qr_code(bot).svg_inline(scale=3, border=2, title="Telegram") if bot else None
        slips.append(
            Slip(
                case.reference, code, case.title, forum.title, case.language, url, svg, bot, bot_svg
            )
        )
    return slips
