"""Deadline reminders, overdue notices and escalations: one set-based catch-up scan per run.

The rules themselves (due soon, the overdue repetition, escalation) live in
``workflows.time_rules``: a reminder to the owner once per case per stay in a state when due soon;
an overdue notice repeated every few working days; an escalation to the admins, once per stay.
A case with no (active) owner sends its reminders and notices to the admins.
The unique key (case, state, entered at, kind, period) makes a repeated or concurrent run send
nothing twice, and a missed run is made up by the next one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from notifications.events import case_context
from notifications.marks import insert_new_marks
from notifications.models import ReminderMark
from notifications.outbox import enqueue_rows, outbox_row
from notifications.recipients import Recipient, admin_recipients, user_recipient
from tracker.extensions import db
from tracker.models import Agency, Case, Referral, User
from tracker.working_days import working_calendar
from workflows import WorkingCalendar
from workflows.time_rules import (
    due_soon_until,
    escalates,
    is_overdue,
    overdue_period,
    overdue_working_days,
)

TEMPLATES = {
    "due_soon": "reminder_due_soon",
    "overdue": "overdue_notice",
    "escalation": "escalation",
}


@dataclass(frozen=True)
class Plan:
    """One reminder a case is due for now: about the case, or one of its open referrals."""

    case: Any
    kind: str
    period: int
    overdue_days: int
    due_at: datetime
    referral: Any = None  # (id, case_id, agency_id, due_at) of an open referral, or None

    @property
    def referral_id(self) -> int:
        """The referral the reminder is about (0: the case itself)."""
        return self.referral.id if self.referral is not None else 0

    def key(self) -> tuple[int, str, int, int]:
        """The part of the unique key that tells plans of one run apart."""
        return (self.case.id, self.kind, self.period, self.referral_id)


def _plans_for(case: Any, due_at: datetime, now: datetime, calendar: WorkingCalendar,
               referral: Any = None) -> list[Plan]:  # fmt: skip
    if not is_overdue(due_at, now):
        return [Plan(case, "due_soon", 0, 0, due_at, referral)]
    days = overdue_working_days(due_at, now, calendar)
    plans = [Plan(case, "overdue", overdue_period(days), days, due_at, referral)]
    if escalates(days):
        plans.append(Plan(case, "escalation", 0, days, due_at, referral))
    return plans


def _plans(case: Any, now: datetime, calendar: WorkingCalendar, referrals: list[Any]) -> list[Plan]:
    """A case with open referrals is reminded of each referral due soon or late, naming its
    agency; any other case of itself. A referral is due no earlier than the case (a case put
    on hold and resumed got its working days back)."""
    if not referrals:
        return _plans_for(case, case.due_at, now, calendar)
    soon = due_soon_until(now, calendar)
    plans = []
    for referral in referrals:
        due = max(referral.due_at, case.due_at)
        if due <= soon:
            plans.extend(_plans_for(case, due, now, calendar, referral))
    return plans


def _open_referrals(case_ids: list[int]) -> dict[int, list[Any]]:
    """The open referrals with a deadline of these cases, by case (one query)."""
    rows = db.session.execute(
        select(Referral.id, Referral.case_id, Referral.agency_id, Referral.due_at)
        .where(
            Referral.case_id.in_(case_ids),
            Referral.answered_at.is_(None),
            Referral.due_at.is_not(None),
        )
        .order_by(Referral.id)
    )
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row.case_id, []).append(row)
    return found


CANDIDATE_COLUMNS = (
    Case.id, Case.reference, Case.title, Case.state, Case.state_entered_at, Case.due_at,
    Case.category, Case.priority, Case.province, Case.owner_id, Case.agency_id, Case.workflow,
    Case.confidential,
)  # fmt: skip
BATCH = 5000


def _candidate_batches(now: datetime, calendar: WorkingCalendar) -> Iterator[list[Any]]:
    """Open cases due soon or overdue, BATCH at a time in id order (one query per batch)."""
    soon = due_soon_until(now, calendar)
    after = 0
    while True:
        batch = list(
            db.session.execute(
                select(*CANDIDATE_COLUMNS)
                .where(Case.due_at.is_not(None), Case.due_at <= soon, Case.id > after)
                .order_by(Case.id)
                .limit(BATCH)
            )
        )
        if not batch:
            return
        yield batch
        after = batch[-1].id


def _claim_marks(plans: list[Plan], now: datetime) -> list[Plan]:
    """Insert the marks; keep the plans whose mark this run inserted."""
    rows = [
        {
            "case_id": p.case.id,
            "state": p.case.state,
            "state_entered_at": p.case.state_entered_at,
            "kind": p.kind,
            "period": p.period,
            "referral_id": p.referral_id,
            "created_at": now,
        }
        for p in plans
    ]
    returning = [
        ReminderMark.case_id,
        ReminderMark.kind,
        ReminderMark.period,
        ReminderMark.referral_id,
    ]
    fresh = set(insert_new_marks(ReminderMark, rows, returning))
    return [p for p in plans if p.key() in fresh]


def _by_id(model: type, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _agency_of(plan: Plan) -> int | None:
    """The agency a reminder names: its referral's, else the case's."""
    return plan.referral.agency_id if plan.referral is not None else plan.case.agency_id


def _agency_names(agency: Agency | None) -> dict[str, str] | None:
    """An agency's names for a message in either language."""
    if agency is None:
        return None
    return {"en": agency.name_en, "km": agency.name_km or agency.name_en}


def _messages(plans: list[Plan], now: datetime) -> list[dict[str, Any]]:
    """Outbox rows for the plans: owners (or admins) for reminders, admins for escalations."""
    owners = _by_id(User, {p.case.owner_id for p in plans if p.case.owner_id})
    agencies = _by_id(Agency, {_agency_of(p) for p in plans if _agency_of(p)})
    admins = admin_recipients()
    rows = []
    for plan in plans:
        owner = owners.get(plan.case.owner_id)
        owner_recipient = user_recipient(owner)
        recipients: list[Recipient] = admins
        if plan.kind != "escalation" and owner_recipient is not None:
            recipients = [owner_recipient]
        agency = agencies.get(_agency_of(plan))
        context = {
            "case": {**case_context(plan.case), "due_at": plan.due_at.isoformat()},
            "overdue_days": plan.overdue_days,
            "unassigned": owner_recipient is None,
            "owner_name": (owner.name or owner.email) if owner else "",
            "agency_name": agency.name_en if agency else "",
            # The agency whose referral is late or due soon (a case referred to several).
            "late_agency": _agency_names(agency) if plan.referral is not None else None,
        }
        for recipient in recipients:
            ctx = {**context, "audience": recipient.audience}
            rows.append(outbox_row(recipient, TEMPLATES[plan.kind], ctx, now, plan.case.id))
    return rows


def queue_reminders(now: datetime) -> dict[str, int]:
    """Queue every reminder, notice and escalation due at ``now``, a batch of cases per
    transaction (constant queries per batch); count them by kind."""
    calendar = working_calendar()
    counts: Counter[str] = Counter()
    for batch in _candidate_batches(now, calendar):
        referrals = _open_referrals([case.id for case in batch])
        plans = [p for case in batch for p in _plans(case, now, calendar, referrals.get(case.id))]
        fresh = _claim_marks(plans, now) if plans else []
        rows = _messages(fresh, now)
        enqueue_rows(rows)
        db.session.commit()  # a batch's marks and messages together: a rerun resumes cleanly
        counts.update(p.kind for p in fresh)
        counts["messages"] += len(rows)
    return {
        "due_soon": counts["due_soon"],
        "overdue": counts["overdue"],
        "escalation": counts["escalation"],
        "messages": counts["messages"],
    }
