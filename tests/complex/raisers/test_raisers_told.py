"""A case with three raisers (email, SMS, none): each acknowledged with their own code on their
channel (a real SMTP server and the local SMS gateway), each code opens /status, and each
raiser with a channel is told of the response."""

from __future__ import annotations

from notifications.delivery import deliver
from tests.web.conftest import post_form
from tracker.services.raisers import add_raiser
from tracker.services.transitions import fire_trigger

PHONE = "012 345 678"


def _status_page(client, reference: str, code: str) -> tuple[int, str]:
    page = post_form(client, "/status", {"reference": reference, "access_code": code})
    return page.status_code, page.get_data(as_text=True)


def test_three_raisers_two_acknowledgements_three_codes_and_each_told(
    app, client, smtp, gateway, make_case, officer, agency, outbox_rows, now
):
    logged = make_case(now=now, raised_by_email="dara@example.org")
    case = logged.case
    _, sms_code = add_raiser(case, {"name": "Chan Sophea", "phone": PHONE}, actor=officer, at=now)
    _, silent_code = add_raiser(case, {}, actor=officer, at=now)  # anonymous: told nowhere
    assert len({logged.access_code, sms_code, silent_code}) == 3

    report = deliver(now)
    assert report.sent == 2
    [mail] = smtp.handler.to("dara@example.org")
    text = mail.message.get_body(("plain",)).get_content()
    assert logged.access_code in text and sms_code not in text
    [sms] = gateway.calls
    assert sms.body["to"] == "+85512345678"
    assert sms_code in sms.body["text"] and logged.access_code not in sms.body["text"]

    for code in (logged.access_code, sms_code, silent_code):
        status, html = _status_page(client, case.reference, code)
        assert status == 200 and case.title in html
    assert _status_page(client, case.reference, "AAAA-BBBB-CCCC")[0] == 404

    ref = case.reference
    fire_trigger(officer, ref, "analyse", {"owner_id": officer.id, "note": "Payroll."}, now=now)
    fire_trigger(officer, ref, "refer", {"agency_id": agency.id, "note": "Check."}, now=now)
    fire_trigger(officer, ref, "respond", {"response": "Registered on 3 May."}, now=now)
    told = [(r.channel, r.recipient_email) for r in outbox_rows("case_responded")]
    assert sorted(told) == [("email", "dara@example.org"), ("sms", "+85512345678")]
    deliver(now)
    assert len(smtp.handler.to("dara@example.org")) == 2
    assert len(gateway.calls) == 2 and ref in gateway.calls[1].body["text"]
