"""Merge: the raisers of a duplicate receive the next updates of the case it was merged into,
delivered through a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

from notifications.delivery import deliver
from tests.notifications.conftest import smtp  # noqa: F401  (a fixture)
from tracker.models import now_utc
from tracker.services.merge import merge_case
from tracker.services.transitions import fire_trigger

KEPT_RAISER, DUPLICATE_RAISER = "kept@example.org", "second@example.org"


def test_raisers_of_the_duplicate_get_the_kept_cases_next_update(
    smtp,  # noqa: F811
    make_case,
    officer,
    agency,
):
    kept = make_case(raised_by_email=KEPT_RAISER, title="Maternity pay late").case.reference
    duplicate = make_case(raised_by_email=DUPLICATE_RAISER, title="Maternity pay is late")
    merge_case(officer, duplicate.case.reference, kept, note="Raised at both forums.")
    fire_trigger(officer, kept, "analyse", {"owner_id": officer.id, "note": "Seen."})
    fire_trigger(officer, kept, "refer", {"agency_id": agency.id, "note": "Please pay."})
    deliver(now_utc())
    before = len(smtp.handler.to(DUPLICATE_RAISER))
    fire_trigger(officer, kept, "respond", {"response": "The employer paid in March."})
    deliver(now_utc())
    both = [smtp.handler.to(address)[-1] for address in (KEPT_RAISER, DUPLICATE_RAISER)]
    assert len(smtp.handler.to(DUPLICATE_RAISER)) == before + 1
    for received in both:
        assert kept in str(received.message["Subject"])
    body = both[1].message.get_body(("plain",)).get_content()
    assert kept in body
