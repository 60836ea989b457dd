"""Reissue access codes: a new code per case, the old one stops working, an event says so."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from tracker import access
from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case, User, now_utc
from tracker.services.errors import NotFound, PermissionDenied
from tracker.services.outbox import (
    OutboxEntry,
    find_message,
    require_outbox_admin,
    retry_message,
)
from tracker.services.references import hash_access_code, new_access_code
from tracker.services.unit_of_work import unit_of_work

ACKNOWLEDGEMENT = "case_logged"  # the email that carries a new case's access code
RETRYABLE = ("failed", "unsent")


def replace_code(case: Case, actor: User | None, now: datetime, reason: str, **event) -> str:
    """Give the case a new access code in the caller's transaction; record it, not the code."""
    code = new_access_code()
    case.access_code_hash = hash_access_code(code)
    case.updated_at = now
    record_event(case, "code_reissued", actor, now, data={"reason": reason}, **event)
    return code


def reissue_access_codes(
    actor: User,
    references: Sequence[str],
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> dict[str, str]:
    """New access codes for these cases (staff), all in one transaction: reference → code."""
    wanted = list(dict.fromkeys(references))
    cases = {
        case.reference: case
        for case in db.session.scalars(select(Case).where(Case.reference.in_(wanted)))
        if access.can_view_case(actor, case)
    }
    missing = [ref for ref in wanted if ref not in cases]
    if missing:
        raise NotFound(f"No case {', '.join(missing)}.")
    if not access.can_reissue_access_codes(actor):
        raise PermissionDenied("Only staff may issue new access codes.")
    now = now or now_utc()
    with unit_of_work():
        return {
            ref: replace_code(cases[ref], actor, now, "staff", remote_addr=remote_addr)
            for ref in wanted
        }


def retry_outbox_message(
    actor: User,
    message_id: int | str,
    *,
    now: datetime | None = None,
    ip: str | None = None,
) -> OutboxEntry:
    """Queue a failed or unsent message again; an acknowledgement whose access code was wiped
    (codes leave unsent rows) carries a newly issued code, so the raiser is never left without
    one."""
    require_outbox_admin(actor)
    row = find_message(message_id)
    now = now or now_utc()
    with unit_of_work():
        case = db.session.get(Case, row.case_id) if row.case_id else None
        if (
            row.template == ACKNOWLEDGEMENT
            and row.status in RETRYABLE
            and case is not None
            and not (row.context or {}).get("access_code")
        ):
            code = replace_code(case, None, now, "acknowledgement retried")
            row.context = {**(row.context or {}), "access_code": code}
        return retry_message(actor, row.id, now=now, ip=ip)
