"""The weekly digest: one per person per ISO week, enforced by a unique key, built set-wise.

Nothing is sent to a person with nothing open and nothing changed (``has_news``). Each case of a
digest carries what its reader needs to act: its state, due date, working days overdue and the
next steps the workflow expects of the reader's role; a confidential case only its reference.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import selectinload

from notifications.marks import insert_new_marks
from notifications.models import DigestMark
from notifications.outbox import enqueue_rows, outbox_row
from notifications.recipients import user_recipient
from tracker.extensions import db
from tracker.models import Agency, Case, Event, Referral, User
from tracker.public_links import unsubscribe_url
from tracker.user_channel import DIGEST_OPTIONAL_ROLES, digest_optional
from tracker.workflow_registry import final_states, registry
from tracker.working_days import working_calendar
from workflows import WorkingCalendar
from workflows.time_rules import (
    is_due_this_week,
    is_overdue,
    overdue_working_days,
    past_week_start,
    this_week_end,
    week_of,
)

SECTION_LIMIT = 25
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CASE_COLUMNS = (
    Case.id,
    Case.reference,
    Case.title,
    Case.state,
    Case.due_at,
    Case.owner_id,
    Case.workflow,
    Case.confidential,
)


def digest_time() -> tuple[int, time]:
    """The weekday (0 = Monday) and local time of the digest, from DIGEST_TIME ('mon 08:00')."""
    day, _, clock = current_app.config["DIGEST_TIME"].partition(" ")
    return WEEKDAYS.index(day.lower()), time.fromisoformat(clock)


def due_week(now: datetime) -> tuple[int, int] | None:
    """The ISO (year, week) whose digest is due at ``now``, or None before this week's send time."""
    week = week_of(now, working_calendar())
    weekday, at = digest_time()
    send_at = datetime.combine(week.start.date() + timedelta(days=weekday), at, week.start.tzinfo)
    if now < send_at:
        return None
    return week.year, week.number


def next_steps(workflow: str | None, state: str, role: str) -> list[str]:
    """The triggers a reader of this role is expected to fire next (from the definition)."""
    reg = registry()
    if workflow not in reg:
        return []
    return [t.trigger for t in reg.workflow(workflow).next_steps(state, role)]


class Items:
    """Digest items for one role at one moment (due dates, overdue days, next steps)."""

    def __init__(self, role: str, now: datetime, calendar: WorkingCalendar) -> None:
        self.role, self.now, self.calendar = role, now, calendar

    def __call__(self, row: Any, due_at: datetime | None = None) -> dict[str, Any]:
        """One case of a digest, as plain values."""
        due = due_at if due_at is not None else row.due_at
        late = is_overdue(due, self.now)
        return {
            "reference": row.reference,
            # A confidential case's line carries its reference and no title.
            "title": "" if row.confidential else row.title,
            "state": row.state,
            "workflow": row.workflow,
            "due_at": due.isoformat() if due else None,
            "overdue_days": overdue_working_days(due, self.now, self.calendar) if late else None,
            "next": next_steps(row.workflow, row.state, self.role),
            "confidential": bool(row.confidential),
        }


def section(rows: list[Any], item: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """A list for a digest, cut to SECTION_LIMIT with the rest counted. Only the rows shown
    become items (working days overdue, next steps): an officer may hold hundreds of open
    cases, an agency thousands of pending referrals."""
    return {
        "cases": [item(row) for row in rows[:SECTION_LIMIT]],
        "more": max(0, len(rows) - SECTION_LIMIT),
        "total": len(rows),
    }


def _grouped(rows: Iterable[Any], key: str) -> dict[Any, list[Any]]:
    """Rows by one of their columns, in their order: each person's share found in one pass
    (a scan of every row per person was 1,000 × 100,000 comparisons)."""
    groups: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


def _open(query):
    return query.where(Case.state.not_in(final_states()))


def officer_contexts(users: list[User], now: datetime) -> dict[int, dict[str, Any]]:
    """Each officer's open cases: overdue, due this week, new to them in the last 7 days."""
    ids = [u.id for u in users]
    cases = db.session.execute(
        _open(select(*CASE_COLUMNS).where(Case.owner_id.in_(ids))).order_by(Case.due_at)
    ).all()
    assigned = db.session.execute(
        _open(select(*CASE_COLUMNS, Event.data).join(Event, Event.case_id == Case.id))
        .where(Event.kind == "assigned", Event.at > past_week_start(now), Event.at <= now)
        .order_by(Event.at)
    ).all()
    calendar = working_calendar()
    item = Items("officer", now, calendar)
    owned, new_to = _grouped(cases, "owner_id"), defaultdict(dict)
    for c in assigned:
        if (c.data or {}).get("to") == c.owner_id:
            new_to[c.owner_id][c.reference] = c
    week_end = this_week_end(now, calendar)
    contexts = {}
    for user_id in ids:
        mine, new = owned.get(user_id, []), new_to.get(user_id, {})
        overdue = [c for c in mine if is_overdue(c.due_at, now)]
        due = [c for c in mine if is_due_this_week(c.due_at, now, calendar, week_end)]
        listed = {c.reference for c in overdue + due}  # each case once, where most urgent
        contexts[user_id] = {
            "overdue": section(overdue, item),
            "due_this_week": section(due, item),
            "new": section([c for ref, c in new.items() if ref not in listed], item),
            "other_open": len(mine) - len(overdue) - len(due),
        }
    return contexts


def _agency_name(agency: Agency | None, language: str) -> str:
    if agency is None:
        return ""
    return (agency.name_km if language == "km" else "") or agency.name_en


def agency_contexts(users: list[User], now: datetime) -> dict[int, dict[str, Any]]:
    """Each agency focal point's pending referrals (referred, not yet answered)."""
    agency_ids = {u.agency_id for u in users if u.agency_id}
    rows = db.session.execute(
        select(*CASE_COLUMNS, Referral.agency_id, Referral.due_at.label("referral_due"))
        .join(Referral, Referral.case_id == Case.id)
        .where(Referral.agency_id.in_(agency_ids), Referral.answered_at.is_(None))
        .order_by(Referral.due_at, Case.reference)
    ).all()
    agencies = {
        a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))
    }
    # One list per agency, shared by its focal points (an agency may have dozens).
    item = Items("agency", now, working_calendar())
    pending = {
        agency_id: section(found, lambda r: item(r, r.referral_due))
        for agency_id, found in _grouped(rows, "agency_id").items()
    }
    late = {
        agency_id: sum(1 for r in found if is_overdue(r.referral_due, now))
        for agency_id, found in _grouped(rows, "agency_id").items()
    }
    contexts = {}
    for user in users:
        contexts[user.id] = {
            "agency_name": _agency_name(agencies.get(user.agency_id), user.language),
            "pending": pending.get(user.agency_id) or section([], item),
            "pending_overdue": late.get(user.agency_id, 0),
        }
    return contexts


def representative_contexts(users: list[User], now: datetime) -> dict[int, dict[str, Any]]:
    """What changed in each representative's organisation's cases in the last 7 days."""
    org_ids = {u.organisation_id for u in users if u.organisation_id}
    rows = db.session.execute(
        select(*CASE_COLUMNS, Case.organisation_id)
        .join(Event, Event.case_id == Case.id)
        .where(Case.organisation_id.in_(org_ids), Event.public.is_(True))
        # Representatives never see a confidential case (tracker.access.sees_confidential).
        .where(Case.confidential.is_(False))
        .where(Event.at > past_week_start(now), Event.at <= now)
        .order_by(Event.at.desc())
    ).all()
    by_organisation = _grouped(rows, "organisation_id")
    item = Items("representative", now, working_calendar())
    contexts = {}
    for user in users:
        found = by_organisation.get(user.organisation_id, [])
        changed = {r.reference: r for r in found}  # newest event first: each case once
        contexts[user.id] = {
            "organisation_name": user.organisation.name if user.organisation else "",
            "changed": section(list(changed.values()), item),
        }
    return contexts


def admin_contexts(users: list[User], now: datetime) -> dict[int, dict[str, Any]]:
    """Unassigned open cases, and overdue cases counted by owner and by agency (same for all)."""
    unassigned = db.session.execute(
        _open(select(*CASE_COLUMNS).where(Case.owner_id.is_(None))).order_by(Case.created_at)
    ).all()
    overdue = _open(select(func.count(Case.id)).where(Case.due_at < now))
    by_owner = db.session.execute(
        overdue.add_columns(func.coalesce(User.name, User.email))
        .join(User, User.id == Case.owner_id)
        .group_by(User.id, User.name, User.email)
        .order_by(func.count(Case.id).desc())
    ).all()
    by_agency = db.session.execute(
        overdue.add_columns(Agency.name_en)
        .join(Agency, Agency.id == Case.agency_id)
        .where(Case.state == "referred")
        .group_by(Agency.id, Agency.name_en)
        .order_by(func.count(Case.id).desc())
    ).all()
    item = Items("admin", now, working_calendar())
    context = {
        "unassigned": section(unassigned, item),
        "overdue_total": db.session.scalar(overdue) or 0,
        "overdue_by_owner": [{"name": name, "count": count} for count, name in by_owner],
        "overdue_by_agency": [{"name": name, "count": count} for count, name in by_agency],
    }
    return {user.id: context for user in users}


BUILDERS: dict[str, Callable[[list[User], datetime], dict[int, dict[str, Any]]]] = {
    "officer": officer_contexts,
    "agency": agency_contexts,
    "representative": representative_contexts,
    "admin": admin_contexts,
}


def _claim_week(users: Iterable[User], week: tuple[int, int], now: datetime) -> set[int]:
    rows = [
        {"user_id": u.id, "iso_year": week[0], "iso_week": week[1], "created_at": now}
        for u in users
    ]
    return {row[0] for row in insert_new_marks(DigestMark, rows, [DigestMark.user_id])}


def digest_audience() -> ColumnElement[bool]:
    """Who gets a digest: active users of a role with one, but for those who turned it off
    (the roles of tracker.user_channel.DIGEST_OPTIONAL_ROLES may)."""
    return and_(
        User.active.is_(True),
        User.role.in_(BUILDERS),
        or_(User.role.not_in(DIGEST_OPTIONAL_ROLES), User.digest_enabled.is_(True)),
    )


def message_context(user: User, context: dict[str, Any], week: tuple[int, int]) -> dict[str, Any]:
    """A digest row's context: the role's lists, the week, and the one-click unsubscribe link
    where the digest can be turned off (notifications.email sets List-Unsubscribe from it)."""
    ctx = {**context, "week": {"year": week[0], "week": week[1]}, "audience": "staff"}
    if digest_optional(user.role):
        ctx["unsubscribe_url"] = unsubscribe_url(user.id)
    return ctx


def has_news(context: dict[str, Any]) -> bool:
    """Tell whether a digest has anything to tell: an open case, a change, a count."""
    return any(
        (value.get("total") if isinstance(value, dict) else value)
        for key, value in context.items()
        if key in NEWS_KEYS
    )


# The parts of a digest context that count as something to tell (all roles).
NEWS_KEYS = (
    "overdue",
    "due_this_week",
    "new",
    "other_open",
    "pending",
    "changed",
    "unassigned",
    "overdue_total",
)


def with_reader(user: User, context: dict[str, Any], week: tuple[int, int]) -> dict[str, Any]:
    """A digest context with its reader's name and the ISO week (the queue and the preview)."""
    return {**context, "name": user.name or user.email, "week": {"year": week[0], "week": week[1]}}


def digest_template(user: User) -> str:
    """The template of a user's digest (``digest_officer``, …)."""
    return f"digest_{user.role}"


def digest_for(user: User, now: datetime) -> dict[str, Any] | None:
    """The context of this user's digest at ``now`` (render it with ``digest_template(user)``),
    or None when there is nothing to send; sends nothing, marks nothing."""
    build = BUILDERS.get(user.role)
    if build is None:
        return None
    context = build([user], now)[user.id]
    if not has_news(context):
        return None
    week = week_of(now, working_calendar())
    return with_reader(user, context, (week.year, week.number))


def queue_digests(now: datetime) -> dict[str, int]:
    """Queue this ISO week's digest for everyone who has not had it yet and has news; commit."""
    week = due_week(now)
    if week is None:
        return {"queued": 0}
    users = list(
        db.session.scalars(
            select(User)
            .options(selectinload(User.organisation))
            .where(digest_audience())
            .order_by(User.id)
        )
    )
    fresh = _claim_week(users, week, now) if users else set()
    rows = []
    for role, build in BUILDERS.items():
        members = {u.id: u for u in users if u.role == role and u.id in fresh}
        if not members:
            continue
        for user_id, context in build(list(members.values()), now).items():
            recipient = user_recipient(members[user_id])
            if recipient is None or not has_news(context):
                continue
            member = members[user_id]
            ctx = message_context(member, with_reader(member, context, week), week)
            rows.append(outbox_row(recipient, digest_template(member), ctx, now))
    enqueue_rows(rows)
    db.session.commit()
    return {"queued": len(rows), "iso_year": week[0], "iso_week": week[1]}
