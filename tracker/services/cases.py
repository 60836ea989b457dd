"""Use cases on a case's data: log it, read it, edit it, assign it, comment on it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tracker import access
from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case, Comment, User, now_utc
from tracker.services.case_fields import clean_case_fields
from tracker.services.case_limits import check_case_limits
from tracker.services.confidentiality import (
    set_team,
    take_confidentiality,
    team_ids_of,
    with_actor_named,
)
from tracker.services.deadlines import due_at_for
from tracker.services.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from tracker.services.references import hash_access_code, new_access_code, next_reference
from tracker.services.text_checks import check_text
from tracker.services.unit_of_work import unit_of_work
from tracker.signals import case_logged
from tracker.workflow_registry import registry
from tracker.working_days import working_calendar


@dataclass(frozen=True)
class LoggedCase:
    """A new case and its access code, which is shown this once and never stored in clear."""

    case: Case
    access_code: str


def log_case(
    actor: User,
    data: Mapping[str, Any],
    *,
    now: datetime | None = None,
    illustrative: bool = False,
    remote_addr: str | None = None,
    on_logged: Callable[[LoggedCase], None] | None = None,
) -> LoggedCase:
    """Log a new concern as a case in the workflow's initial state.

    ``on_logged`` runs inside the transaction, so whatever it writes commits with the case.
    """
    fields = checked_new_case_fields(actor, data)
    now = now or now_utc()
    check_case_limits(actor, fields, now)
    with unit_of_work():
        logged = add_case(actor, fields, now, illustrative, remote_addr)
        if on_logged is not None:
            on_logged(logged)
    return logged


def checked_new_case_fields(actor: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """Check that the actor may log a case and that its fields are complete and valid."""
    if not access.can_create_case(actor):
        raise PermissionDenied("You may not log cases.")
    data = dict(data)
    workflow = data.pop("workflow", None) or "case"
    errors: dict[str, list[str]] = {}
    if not isinstance(workflow, str) or workflow not in registry():
        errors["workflow"] = [f"Must be one of: {', '.join(registry().names())}."]
    secrecy, secrecy_errors = take_confidentiality(actor, data)
    errors.update(secrecy_errors)
    try:
        fields = clean_case_fields(data, creating=True)
    except ValidationFailed as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    fields.update(secrecy)
    fields["workflow"] = workflow
    if actor.role == "representative":
        fields["organisation_id"] = actor.organisation_id
    return fields


def add_case(
    actor: User | None,
    fields: Mapping[str, Any],
    now: datetime,
    illustrative: bool = False,
    remote_addr: str | None = None,
    event_data: dict[str, Any] | None = None,
) -> LoggedCase:
    """Add a checked new case and its creation event to the session; the caller commits.

    ``event_data`` goes into the creation event (what an intake channel said beyond the fields).
    No ``actor``: raised by the public (the Telegram bot), by no account.
    """
    code = new_access_code()
    fields = dict(fields)
    workflow = registry().workflow(fields.pop("workflow", None) or "case")
    team = fields.pop("team_ids", None) or []
    case = Case(
        **fields,
        # The year people see in the reference is the local (Phnom Penh) one, not UTC's.
        reference=next_reference(working_calendar().local_date(now).year),
        access_code_hash=hash_access_code(code),
        workflow=workflow.name,
        state=workflow.initial,
        state_entered_at=now,
        due_at=due_at_for(workflow.name, workflow.initial, now, None),
        created_by_id=actor.id if actor else None,
        created_at=now,
        updated_at=now,
        illustrative=illustrative,
    )
    db.session.add(case)
    db.session.flush()
    if case.confidential or team:
        set_team(case, with_actor_named(actor, team) if case.confidential else team)
    if case.confidential:  # the trail says who made it confidential, from the start
        event_data = {**(event_data or {}), "confidential": True}
    event = record_event(
        case,
        "created",
        actor,
        now,
        to_state=case.state,
        public=True,
        remote_addr=remote_addr,
        data=event_data,
    )
    # The access code exists in clear only here: hand it to the acknowledgement email.
    case_logged.send(case, event=event, access_code=code)
    return LoggedCase(case, code)


def get_case(actor: User, reference: str) -> Case:
    """Return the case if the actor may see it; an invisible case is simply not found."""
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    if case is None or not access.can_view_case(actor, case):
        raise NotFound(f"No case {reference}.")
    return case


def check_version(case: Case, expected_version: int | None) -> None:
    """Refuse to act on a stale copy of the case."""
    if expected_version is not None and expected_version != case.version:
        # A negative version stands for an If-Match that names no version of the case at all.
        seen = (
            f", not {expected_version}"
            if expected_version >= 0
            else "; If-Match names none of its versions"
        )
        raise StaleVersion(
            f"Case {case.reference} is at version {case.version}{seen}.",
            current_version=case.version,
        )


def edit_case(
    actor: User,
    reference: str,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Case:
    """Change a case's fields and, given ``owner_id``, its owner: all or nothing, one version.

    Field changes are recorded by value, personal data by field name only; an owner change is
    recorded as an assignment (which tells the new owner).
    """
    case = get_case(actor, reference)
    if not access.can_edit_case(actor, case):
        raise PermissionDenied("You may not change this case.")
    check_version(case, expected_version)
    fields, owner = _checked_changes(actor, changes, case)
    team = fields.pop("team_ids", None)
    changed = {name: value for name, value in fields.items() if getattr(case, name) != value}
    new_owner = owner if owner is not None and owner.id != case.owner_id else None
    team_before = team_ids_of(case)
    if changed.get("confidential"):
        team = with_actor_named(actor, team_before if team is None else team)
    if team is not None and sorted(team) != team_before:
        changed["team_ids"] = sorted(team)
    if not changed and new_owner is None:
        return case
    now = now or now_utc()
    previous_owner = case.owner_id
    audit = {
        name: {"from": team_before if name == "team_ids" else getattr(case, name), "to": value}
        for name, value in changed.items()
        if name not in access.PERSONAL_FIELDS
    }
    with unit_of_work():
        for name, value in changed.items():
            if name == "team_ids":
                set_team(case, value)
            else:
                setattr(case, name, value)
        if new_owner is not None:
            case.owner_id = new_owner.id
        case.updated_at = now
        if changed:
            record_event(
                case,
                "edited",
                actor,
                now,
                remote_addr=remote_addr,
                data={"fields": sorted(changed), "changes": audit},
            )
        if new_owner is not None:
            record_assignment(case, previous_owner, new_owner, actor, now, remote_addr)
    return case


def assign_case(
    actor: User,
    reference: str,
    owner_id: int,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Case:
    """Make an officer the owner of a case."""
    return edit_case(
        actor,
        reference,
        {"owner_id": owner_id},
        expected_version=expected_version,
        now=now,
        remote_addr=remote_addr,
    )


def _checked_changes(
    actor: User, changes: Mapping[str, Any], case: Case
) -> tuple[dict[str, Any], User | None]:
    """Clean the field changes and the new owner, naming every bad field at once."""
    fields = dict(changes)
    secrecy, errors = take_confidentiality(actor, fields)
    owner = cleaned = None
    if "owner_id" in fields:
        try:
            owner = eligible_owner(fields.pop("owner_id"))
        except ValidationFailed as exc:
            errors.update(exc.errors)
    try:
        current = {n: getattr(case, n) for n in ("channel", "raised_by_email", "raised_by_phone")}
        cleaned = clean_case_fields(fields, creating=False, current=current)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors or cleaned is None:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    return {**cleaned, **secrecy}, owner


def eligible_owner(owner_id: Any) -> User:
    """Return the active officer or admin with this id, or raise a validation error."""
    owner = db.session.get(User, owner_id) if isinstance(owner_id, int) else None
    if owner is None or not owner.active or not access.is_staff(owner):
        raise ValidationFailed(
            "The owner must be an active officer or admin.",
            {"owner_id": ["Must be an active officer or admin."]},
        )
    return owner


def record_assignment(
    case: Case,
    previous_owner_id: int | None,
    owner: User,
    actor: User,
    now: datetime,
    remote_addr: str | None,
) -> None:
    """Write the 'assigned' event (which tells the new owner) in the caller's transaction."""
    record_event(
        case,
        "assigned",
        actor,
        now,
        data={"from": previous_owner_id, "to": owner.id},
        note=owner.name,
        remote_addr=remote_addr,
    )


def add_comment(
    actor: User,
    reference: str,
    body: str,
    *,
    internal: bool = False,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Comment:
    """Add a comment (or more information) to a case and to its timeline."""
    case = get_case(actor, reference)
    if not access.can_comment(actor, case):
        raise PermissionDenied("You may not comment on this case.")
    body = (body or "").strip() if isinstance(body, str) else ""
    if not body:
        raise ValidationFailed("The comment is empty.", {"body": ["This field is required."]})
    if len(body) > 10000:
        raise ValidationFailed("The comment is too long.", {"body": ["At most 10000 characters."]})
    check_text("body", body)
    if internal and not access.can_see_internal_notes(actor, case):
        raise PermissionDenied("You may not write internal notes.")
    now = now or now_utc()
    with unit_of_work():
        comment = Comment(
            case_id=case.id, author_id=actor.id, body=body, internal=internal, created_at=now
        )
        db.session.add(comment)
        db.session.flush()
        record_event(
            case,
            "commented",
            actor,
            now,
            note=body,
            data={"comment_id": comment.id, "internal": internal},
            remote_addr=remote_addr,
        )
    return comment
