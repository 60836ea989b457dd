"""Confidential cases: the flag, the officers named on the case, and the record of each view.

Who may see a confidential case is decided in ``tracker.access`` (one home); this module checks
what staff send (``confidential``, ``team_ids``), writes the team, and records every view of a
confidential case in its timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from tracker import access
from tracker.audit import record_event
from tracker.extensions import db
from tracker.models import Case, CaseTeamMember, User, now_utc
from tracker.services.unit_of_work import unit_of_work

CONFIDENTIAL_FIELDS = ("confidential", "team_ids")
MAX_TEAM = 50
STAFF_ONLY = "Only officers and admins may set this."
NOT_STAFF = "Must be active officers or admins."
TOO_MANY = f"At most {MAX_TEAM} officers."


def take_confidentiality(
    actor: User, data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Take ``confidential`` and ``team_ids`` out of ``data``: (checked values, errors)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in CONFIDENTIAL_FIELDS:
        if name not in data:
            continue
        value = data.pop(name)
        if not access.can_set_confidential(actor):
            errors[name] = [STAFF_ONLY]
            continue
        try:
            values[name] = _flag(value) if name == "confidential" else checked_team(value)
        except ValueError as exc:
            errors[name] = [str(exc)]
    return values, errors


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("Must be true or false.")
    return value


def checked_team(value: Any) -> list[int]:
    """The ids of active officers or admins, each once; else ValueError naming the problem."""
    if value is None:
        return []
    if not isinstance(value, list | tuple) or any(
        isinstance(item, bool) or not isinstance(item, int) for item in value
    ):
        raise ValueError("Must be a list of user ids.")
    ids = list(dict.fromkeys(value))
    if len(ids) > MAX_TEAM:
        raise ValueError(TOO_MANY)
    staff = set(
        db.session.scalars(
            select(User.id).where(
                User.id.in_(ids), User.active.is_(True), User.role.in_(access.STAFF_ROLES)
            )
        )
    )
    if any(item not in staff for item in ids):
        raise ValueError(NOT_STAFF)
    return ids


def team_ids_of(case: Case) -> list[int]:
    """The officers named on the case besides its owner, by id."""
    return teams_of([case]).get(case.id, [])


def teams_of(cases: Sequence[Case]) -> dict[int, list[int]]:
    """The officers named on each case besides its owner, by case id, in one query (a case
    without a team is left out)."""
    ids = [case.id for case in cases if case.id is not None]
    if not ids:
        return {}
    teams: dict[int, list[int]] = {}
    rows = db.session.execute(
        select(CaseTeamMember.case_id, CaseTeamMember.user_id)
        .where(CaseTeamMember.case_id.in_(ids))
        .order_by(CaseTeamMember.case_id, CaseTeamMember.user_id)
    )
    for case_id, user_id in rows:
        teams.setdefault(case_id, []).append(user_id)
    return teams


def set_team(case: Case, ids: Sequence[int]) -> None:
    """Name exactly these officers on the case (in the caller's transaction)."""
    db.session.execute(delete(CaseTeamMember).where(CaseTeamMember.case_id == case.id))
    db.session.add_all(CaseTeamMember(case_id=case.id, user_id=user_id) for user_id in ids)
    db.session.flush()


def with_actor_named(actor: User | None, team: Sequence[int]) -> list[int]:
    """The team of a case just made confidential, with the officer who did so (else they
    would lose sight of it at once)."""
    team = list(team)
    if actor is not None and access.is_staff(actor) and actor.id not in team:
        team.append(actor.id)
    return team


def record_views(
    actor: User,
    cases: Sequence[Case],
    *,
    via: str,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> None:
    """Record in each confidential case's timeline that the actor viewed it (who, when, how:
    ``via`` is ``page``, ``api``, ``export`` …), all in one commit.

    Event rows only: the cases' versions, ETags and ``updated_at`` stay, and no one is told.
    """
    secret = [case for case in cases if case.confidential]
    if not secret:
        return
    now = now or now_utc()
    with unit_of_work():
        for case in secret:
            record_event(case, "viewed", actor, now, data={"via": via}, remote_addr=remote_addr)


def record_view(actor: User, case: Case, *, via: str, remote_addr: str | None = None) -> None:
    """Record a view of one case if it is confidential (see ``record_views``)."""
    record_views(actor, [case], via=via, remote_addr=remote_addr)
