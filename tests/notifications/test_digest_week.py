"""The weekly digest: Monday 08:00 Phnom Penh, one per person per ISO week, made up if missed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import func, select

from notifications.digest import queue_digests
from notifications.models import DigestMark
from notifications.reminders import queue_reminders
from tests.notifications.conftest import give_news, local, run_concurrently
from tests.support import counted_statements
from tracker.extensions import db
from tracker.services.transitions import fire_trigger


def test_digest_waits_for_monday_0800_then_goes_once_to_each_person(
    officer, admin, agency, agency_user, representative, make_case, outbox_rows
):
    for at in (local(3, 5, 9), local(3, 12, 9)):  # news for the week of 9 March and of 16 March
        give_news(
            make_case, actor=officer, agency=agency, representative=representative,
            officers=[officer], at=at,
        )  # fmt: skip
    assert queue_digests(local(3, 9, 7, 59))["queued"] == 0  # Monday 07:59 in Phnom Penh
    assert queue_digests(local(3, 9, 8, 0))["queued"] == 4
    assert queue_digests(local(3, 9, 8, 0))["queued"] == 0  # a repeated run sends nothing
    assert queue_digests(local(3, 12, 15, 0))["queued"] == 0  # later that week: nothing
    assert queue_digests(local(3, 16, 8, 0))["queued"] == 4  # the next week: again
    rows = [r for r in outbox_rows() if r.template.startswith("digest_")]
    assert Counter(r.recipient_email for r in rows) == {
        u.email: 2 for u in (officer, admin, agency_user, representative)
    }
    assert {r.template for r in rows} == {
        "digest_officer",
        "digest_admin",
        "digest_agency",
        "digest_representative",
    }


def test_a_scheduler_down_over_monday_makes_the_digest_and_reminders_up_once(
    officer, admin, make_case, outbox_rows
):
    make_case(now=local(3, 5, 9), raised_by_email="")  # logged, no owner: due 12 March
    # Nothing ran from Friday until Wednesday 11:00: the first run catches up; the next, nothing.
    for _ in range(2):
        queue_digests(local(3, 11, 11))
        queue_reminders(local(3, 11, 11))
    digests = Counter(r.recipient_email for r in outbox_rows() if r.template.startswith("digest_"))
    assert digests == {admin.email: 1}  # the case has no owner: the officer has nothing open
    assert [r.recipient_email for r in outbox_rows("reminder_due_soon")] == [admin.email]


def test_digest_contents_per_role(
    make_case,
    make_user,
    officer,
    admin,
    agency,
    agency_user,
    representative,
    organisation,
    other_organisation,
    outbox_rows,
):
    overdue = make_case(now=local(2, 2, 9), raised_by_email="", title="Late one").case.reference
    fire_trigger(
        officer, overdue, "analyse", {"owner_id": officer.id, "note": "x"}, now=local(2, 2, 10)
    )
    fire_trigger(
        officer, overdue, "refer", {"agency_id": agency.id, "note": "x"}, now=local(2, 3, 10)
    )
    unassigned = make_case(now=local(3, 5, 9), raised_by_email="", title="Nobody's").case
    ours = make_case(actor=representative, now=local(3, 6, 9), raised_by_email="", title="Ours")
    other_rep = make_user("representative", organisation_id=other_organisation.id)
    make_case(actor=other_rep, now=local(3, 6, 9), raised_by_email="", title="Theirs")
    queue_digests(local(3, 9, 8))
    context = {r.recipient_email: r.context for r in outbox_rows() if r.template.startswith("dig")}

    agency_refs = [c["reference"] for c in context[agency_user.email]["pending"]["cases"]]
    assert agency_refs == [overdue]
    rep = context[representative.email]["changed"]["cases"]
    assert [c["title"] for c in rep] == ["Ours"]  # not the other organisation's case
    assert [c["title"] for c in context[other_rep.email]["changed"]["cases"]] == ["Theirs"]
    admin_ctx = context[admin.email]
    assert {c["reference"] for c in admin_ctx["unassigned"]["cases"]} >= {unassigned.reference}
    assert admin_ctx["overdue_by_agency"] == [{"name": agency.name_en, "count": 1}]
    assert admin_ctx["overdue_by_owner"] == [{"name": officer.name, "count": 1}]
    assert ours.access_code not in str(context)


def test_concurrent_digest_runs_still_send_one_per_person(
    app, officer, admin, agency, representative, make_user, make_case, outbox_rows
):
    officers = [officer] + [make_user("officer") for _ in range(4)]
    give_news(
        make_case, actor=admin, agency=agency, representative=representative,
        officers=officers, at=local(3, 5, 9),
    )  # fmt: skip
    results = run_concurrently(app, lambda: queue_digests(local(3, 9, 9))["queued"], 3)
    assert sum(results) == 7  # five officers, the admin, the representative
    digests = [r for r in outbox_rows() if r.template.startswith("digest_")]
    assert Counter(r.user_id for r in digests).most_common(1)[0][1] == 1
    assert db.session.scalar(select(func.count()).select_from(DigestMark)) == 7


def test_digest_queries_do_not_grow_with_people(app, make_user, officer, agency_user):
    def count(now: datetime) -> int:
        with counted_statements() as statements:
            queue_digests(now)
        return len(statements)

    few = count(datetime(2026, 3, 9, 3, tzinfo=UTC))
    for _ in range(3):
        make_user("officer")
        make_user("agency", agency_id=agency_user.agency_id)
    assert count(datetime(2026, 3, 16, 3, tzinfo=UTC)) == few
