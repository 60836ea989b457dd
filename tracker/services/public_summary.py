"""The public summary of a case: written by staff, public (report-back) only once approved."""

from __future__ import annotations

from datetime import datetime

from tracker import access
from tracker.audit import record_event
from tracker.field_spec import PUBLIC_TEXT_FIELDS
from tracker.models import Case, User, now_utc
from tracker.services.cases import check_version, get_case
from tracker.services.errors import PermissionDenied, ValidationFailed
from tracker.services.text_checks import CONTROL_MESSAGE, has_control_characters
from tracker.services.unit_of_work import unit_of_work


def approved_summary(case: Case) -> str:
    """The summary the public may read: the approved text, else nothing."""
    return case.public_summary if case.public_summary_approved_at is not None else ""


def _checked_text(text: object) -> str:
    limit = PUBLIC_TEXT_FIELDS["public_summary"].max_length or 0
    if not isinstance(text, str):
        raise ValidationFailed("The summary must be text.", {"public_summary": ["Must be text."]})
    text = text.strip()
    if len(text) > limit:
        message = f"At most {limit} characters."
        raise ValidationFailed(message, {"public_summary": [message]})
    if has_control_characters(text, multiline=True):
        raise ValidationFailed(CONTROL_MESSAGE, {"public_summary": [CONTROL_MESSAGE]})
    return text


def set_public_summary(
    actor: User,
    reference: str,
    text: str,
    *,
    approve: bool,
    expected_version: int | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Case:
    """Write the case's public summary (staff); approved, it appears on the report-back.

    A changed text is a draft again unless approved in the same step: nothing free-text is
    public before an officer has approved it.
    """
    case = get_case(actor, reference)
    if not access.is_staff(actor):
        raise PermissionDenied("Only officers and admins write and approve public summaries.")
    check_version(case, expected_version)
    text = _checked_text(text)
    if approve and not text:
        message = "Write the summary before approving it."
        raise ValidationFailed(message, {"public_summary": [message]})
    now = now or now_utc()
    with unit_of_work():
        case.public_summary = text
        case.public_summary_approved_at = now if approve else None
        case.public_summary_approved_by_id = actor.id if approve else None
        case.updated_at = now
        record_event(
            case,
            "public_summary",
            actor,
            now,
            note=text,
            data={"approved": approve},
            remote_addr=remote_addr,
        )
    return case
