"""Reminders across a simulated month with Cambodian holidays (Khmer New Year, 1 and 5 May)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from notifications.reminders import queue_reminders
from tests.notifications.conftest import PHNOM_PENH, local, run_concurrently
from tests.support import counted_statements
from tracker.services.transitions import fire_trigger


def simulate(start: date, end: date, outbox_rows) -> dict[tuple, list[date]]:
    """Run the reminder job twice a day from start to end; when did each email go to whom."""
    sent: dict[tuple, list[date]] = defaultdict(list)
    seen: set[int] = set()
    day = start
    while day <= end:
        for hour, minute in ((7, 30), (13, 0)):  # a second run the same day must add nothing
            queue_reminders(local(day.month, day.day, hour, minute))
        for row in outbox_rows():
            if row.id not in seen and row.template != "case_logged":
                seen.add(row.id)
                key = (row.template, row.context["case"]["reference"], row.recipient_email)
                sent[key].append(row.created_at.astimezone(PHNOM_PENH).date())
        day += timedelta(days=1)
    return sent


def test_a_month_of_reminders_notices_and_escalations(make_case, make_user, officer, outbox_rows):
    admins = [make_user("admin"), make_user("admin", language="km")]
    owned = make_case(now=local(4, 1, 9), raised_by_email="").case.reference
    fire_trigger(
        officer, owned, "analyse", {"owner_id": officer.id, "note": "ok"}, now=local(4, 2, 9)
    )
    orphan = make_case(now=local(4, 1, 9), raised_by_email="").case.reference  # no owner

    sent = simulate(date(2026, 4, 2), date(2026, 5, 14), outbox_rows)
    d = lambda month, day: date(2026, month, day)  # noqa: E731

    # Owned case: analysed on 2 April, 10 working days → due 21 April (14–16 April are holidays).
    assert sent[("reminder_due_soon", owned, officer.email)] == [d(4, 17)]
    # Overdue from 22 April; again 5 working days later (29 April), then 8 May (1 and 5 May off).
    assert sent[("overdue_notice", owned, officer.email)] == [d(4, 22), d(4, 29), d(5, 8)]
    for admin in admins:  # more than 10 working days overdue on 8 May: the admins are told once
        assert sent[("escalation", owned, admin.email)] == [d(5, 8)]
        assert ("overdue_notice", owned, admin.email) not in sent

    # Unowned case: logged on 1 April, 5 working days → due 8 April; everything goes to admins.
    for admin in admins:
        assert sent[("reminder_due_soon", orphan, admin.email)] == [d(4, 6)]
        assert sent[("overdue_notice", orphan, admin.email)] == [
            d(4, 9),
            d(4, 21),
            d(4, 28),
            d(5, 7),
        ]  # the next (21 working days overdue) would fall on 14 May, after the simulation
        assert sent[("escalation", orphan, admin.email)] == [d(4, 28)]
    assert {key[2] for key in sent} == {officer.email, *(a.email for a in admins)}
    km = [r for r in outbox_rows() if r.recipient_email == admins[1].email]
    assert km and {r.language for r in km} == {"km"}


def test_a_new_stay_in_a_state_gets_its_own_reminder(make_case, officer, outbox_rows):
    ref = make_case(now=local(3, 2, 9), raised_by_email="").case.reference
    analyse = {"owner_id": officer.id, "note": "ok"}
    fire_trigger(officer, ref, "analyse", analyse, now=local(3, 2, 10))  # due 16 March
    runs = [queue_reminders(local(3, day))["due_soon"] for day in (11, 12, 13)]
    assert runs == [0, 1, 0]  # once per case per state
    close = {"outcome": "resolved", "resolution": "done"}
    fire_trigger(officer, ref, "close", close, now=local(3, 13, 10))
    fire_trigger(officer, ref, "reopen", {"reason": "back"}, now=local(3, 13, 11))  # due 27 March
    runs = [queue_reminders(local(3, day))["due_soon"] for day in (24, 25, 26)]
    assert runs == [0, 1, 0]  # the second stay in 'analysed' is reminded again, once
    reminders = outbox_rows("reminder_due_soon")
    assert [r.context["case"]["due_at"][:10] for r in reminders] == ["2026-03-16", "2026-03-27"]


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(
    app, make_case, make_user, officer
):
    make_user("admin")
    owner = make_user("officer")

    def log_cases(count: int) -> None:
        for _ in range(count):
            ref = make_case(now=local(3, 2, 9), raised_by_email="").case.reference
            fire_trigger(
                officer, ref, "analyse", {"owner_id": owner.id, "note": "x"}, now=local(3, 2, 10)
            )
        make_case(now=local(3, 2, 9), raised_by_email="")  # and one without an owner

    def count_queries(now: datetime) -> tuple[int, dict[str, int]]:
        with counted_statements() as statements:
            result = queue_reminders(now)
        return len(statements), result

    log_cases(3)
    few, few_result = count_queries(local(4, 1))
    log_cases(12)
    many, many_result = count_queries(local(4, 2))
    assert (few_result["overdue"], many_result["overdue"]) == (4, 13)
    assert few == many


def test_concurrent_reminder_runs_queue_each_reminder_once(app, make_case, make_user, outbox_rows):
    """Several schedulers at once: still one row per (case, state, kind, period)."""
    admin = make_user("admin")
    for _ in range(5):
        make_case(now=local(3, 2, 9), raised_by_email="")  # no owner: due 9 March
    results = run_concurrently(app, lambda: queue_reminders(local(3, 20))["messages"], 3)
    assert sum(results) == 5  # five overdue notices in all, whoever queued them
    notices = outbox_rows("overdue_notice")
    assert len({r.case_id for r in notices}) == 5 and len(notices) == 5
    assert {r.recipient_email for r in notices} == {admin.email}
