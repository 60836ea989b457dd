"""Several raisers on one case: add one (own access code, acknowledgement, people affected).

The case's ``raised_by_*`` columns are its first raiser; each further raiser is a ``Raiser``
row. ``raisers_of`` (from tracker.raiser_list) lists them all, the first as an unsaved
``Raiser`` built from the case.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tracker import access
from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case, Organisation, Raiser, User, now_utc
from tracker.raiser_channel import preferred_channel
from tracker.raiser_list import first_raiser, raisers_of
from tracker.services.case_fields import clean_case_fields, clean_flag
from tracker.services.errors import PermissionDenied, ValidationFailed
from tracker.services.references import hash_access_code, new_access_code
from tracker.services.unit_of_work import unit_of_work
from tracker.signals import raiser_added

# A raiser's field → the case field that holds the first raiser's (and is cleaned alike).
CASE_FIELD_OF = {
    "name": "raised_by_name",
    "email": "raised_by_email",
    "phone": "raised_by_phone",
    "organisation_id": "organisation_id",
    "language": "language",
    "channel": "channel",
    "people_affected": "people_affected",
}
RAISER_FIELDS = (*CASE_FIELD_OF, "consent_share")
__all__ = ["add_raiser", "first_raiser", "move_raisers", "raiser_views", "raisers_of"]


def clean_raiser_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The raiser's fields, cleaned like the case's own; raise ValidationFailed naming each bad one.

    Every field may be left out: an anonymous raiser is told nothing and keeps their code.
    """
    errors: dict[str, list[str]] = {
        name: ["Unknown or read-only field."] for name in sorted(set(data) - set(RAISER_FIELDS))
    }
    as_case = {CASE_FIELD_OF[n]: v for n, v in data.items() if n in CASE_FIELD_OF}
    cleaned: dict[str, Any] = {}
    try:
        cleaned = clean_case_fields(as_case, creating=False)
    except ValidationFailed as exc:
        raiser_name = {case: raiser for raiser, case in CASE_FIELD_OF.items()}
        errors.update({raiser_name.get(k, k): v for k, v in exc.errors.items()})
    consent = False
    try:
        consent = clean_flag(data.get("consent_share"))
    except ValueError as exc:
        errors["consent_share"] = [str(exc)]
    if errors:
        raise ValidationFailed("Some fields of the raiser are invalid.", errors)
    fields = {raiser: cleaned.get(case) for raiser, case in CASE_FIELD_OF.items()}
    for name in ("name", "email", "phone"):
        fields[name] = fields[name] or ""
    fields["language"] = fields["language"] or "en"
    fields["consent_share"] = consent
    return fields


def add_raiser(
    case: Case,
    fields: Mapping[str, Any],
    *,
    actor: User | None,
    at: datetime | None = None,
    remote_addr: str | None = None,
) -> tuple[Raiser, str]:
    """Add a raiser to the case: their own access code (returned in clear, this once), an event,
    their acknowledgement on their channel, and their people added to ``people_affected``.

    ``actor`` None: the public joining a case (the caller has checked that they may). Commits,
    or joins the caller's ``one_transaction()``.
    """
    if actor is not None and not access.can_add_raiser(actor, case):
        raise PermissionDenied("You may not add raisers to this case.")
    cleaned = clean_raiser_fields(fields)
    if actor is not None and actor.role == "representative":
        # A representative speaks for their own organisation only (as when raising a case).
        cleaned["organisation_id"] = actor.organisation_id
    at = at or now_utc()
    code = new_access_code()
    with unit_of_work():
        raiser = Raiser(
            case_id=case.id,
            access_code_hash=hash_access_code(code),
            created_by_id=actor.id if actor else None,
            created_at=at,
            **cleaned,
        )
        db.session.add(raiser)
        # Each person counts once: a raiser who names no number stands for themselves.
        case.people_affected = (case.people_affected or 1) + (cleaned["people_affected"] or 1)
        case.updated_at = at
        db.session.flush()
        db.session.expire(case, ["raisers"])
        event = record_event(
            case,
            "raiser_added",
            actor,
            at,
            # Personal data by field name only, as edits record them.
            data={
                "raiser_id": raiser.id,
                "fields": sorted(n for n in ("name", "email", "phone") if cleaned[n]),
                "anonymous": None,
                "people_affected": case.people_affected,
            },
            remote_addr=remote_addr,
        )
        # The access code exists in clear only here: hand it to the acknowledgement.
        raiser_added.send(case, raiser=raiser, event=event, access_code=code)
    return raiser, code


def raiser_views(actor: User, case: Case) -> list[dict[str, Any]]:
    """The case's raisers as this actor may see them: name and contact only where
    ``access.can_see_raiser_data`` allows; the channel and whether they are anonymous too, as
    both tell what contact is known."""
    views = []
    for position, raiser in enumerate(raisers_of(case), start=1):
        view = {
            "id": raiser.id,
            "position": position,
            "organisation_id": raiser.organisation_id,
            "organisation_name": _organisation_name(raiser.organisation_id),
            "language": raiser.language,
            "consent_share": raiser.consent_share,
            "people_affected": raiser.people_affected,
            "anonymous": None,
            "created_at": raiser.created_at,
            "name": None,
            "email": None,
            "phone": None,
            "channel": None,
        }
        if access.can_see_raiser_data(actor, case, raiser):
            channel = preferred_channel(raiser.channel, raiser.email, raiser.phone)
            view.update(name=raiser.name, email=raiser.email, phone=raiser.phone, channel=channel)
            view["anonymous"] = raiser.anonymous
        views.append(view)
    return views


def _organisation_name(organisation_id: int | None) -> str | None:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    return organisation.name if organisation else None


def move_raisers(duplicate: Case, into: Case, *, at: datetime | None = None) -> list[Raiser]:
    """Make every raiser of ``duplicate`` a raiser of ``into`` (a merge), in the caller's
    transaction: no commit, no event (the merge records its own), no acknowledgement.

    The rows move as they are; the duplicate's first raiser becomes a row of ``into`` holding
    the same access code, so each raiser's code now also opens the kept case and each is told
    of its next steps. ``into`` counts the duplicate's people affected as well.
    """
    at = at or now_utc()
    first = first_raiser(duplicate)
    first.id = None
    first.created_at = at
    first.people_affected = duplicate.people_affected
    moved = list(duplicate.raisers)
    for raiser in moved:
        raiser.case_id = into.id
    first.case_id = into.id
    db.session.add(first)
    into.people_affected = (into.people_affected or 1) + (duplicate.people_affected or 1)
    into.updated_at = at
    db.session.flush()
    db.session.expire(duplicate, ["raisers"])
    db.session.expire(into, ["raisers"])
    return [first, *moved]
