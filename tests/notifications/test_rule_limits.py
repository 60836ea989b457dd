"""Limits written once and pinned here: the digest's section length, one email per address."""

from __future__ import annotations

from notifications.digest import queue_digests
from notifications.outbox import enqueue
from notifications.recipients import Recipient
from tests.notifications.conftest import local
from tests.support import trigger_data
from tracker.extensions import db
from tracker.services.transitions import fire_trigger


def test_a_digest_section_lists_25_cases_and_counts_the_rest(make_case, admin, outbox_rows):
    for n in range(26):
        make_case(now=local(3, 5, 9), raised_by_email="", title=f"Concern {n}")
    queue_digests(local(3, 9, 8))
    (row,) = [r for r in outbox_rows("digest_admin") if r.recipient_email == admin.email]
    unassigned = row.context["unassigned"]
    assert len(unassigned["cases"]) == 25
    assert (unassigned["more"], unassigned["total"]) == (1, 26)


def test_enqueue_sends_one_email_per_address_whatever_its_case(app, now, outbox_rows):
    recipients = [
        Recipient("dara@example.org", "Dara"),
        Recipient("Dara@Example.ORG", "Dara again"),
        None,
        Recipient("sophea@example.org", "Sophea"),
        Recipient("sophea@example.org", "Sophea twice"),
    ]
    assert enqueue(recipients, "case_assigned", {"case": {}}, now=now) == 2
    db.session.commit()
    assert [r.recipient_name for r in outbox_rows()] == ["Dara", "Sophea"]


def test_an_owner_who_raised_the_case_gets_one_response_email(
    make_case, officer, agency, agency_user, now, outbox_rows
):
    reference = make_case(now=now, raised_by_email=officer.email.upper()).case.reference
    for trigger in ("analyse", "refer"):
        fire_trigger(officer, reference, trigger, trigger_data(trigger, officer.id, agency.id))
    # The agency answers: the owner and the raiser are told, and here they are one address.
    fire_trigger(agency_user, reference, "respond", trigger_data("respond", 0, 0))
    responded = outbox_rows("case_responded")
    assert len(responded) == 1
    assert responded[0].recipient_email.lower() == officer.email.lower()


def test_an_officers_overdue_section_shows_the_25_most_overdue_and_counts_the_rest(
    make_case, officer
):
    from datetime import timedelta

    from notifications.digest import officer_contexts

    now = local(3, 9, 8)
    for n in range(27):
        case = make_case(now=local(2, 2), title=f"Concern {n}").case
        case.owner_id, case.due_at = officer.id, now - timedelta(days=40 - n)
    db.session.commit()
    overdue = officer_contexts([officer], now)[officer.id]["overdue"]
    assert (len(overdue["cases"]), overdue["more"], overdue["total"]) == (25, 2, 27)
    shown = overdue["cases"]
    assert [c["title"] for c in shown] == [f"Concern {n}" for n in range(25)]
    days = [c["overdue_days"] for c in shown]
    assert all(d > 0 for d in days) and days == sorted(days, reverse=True)
