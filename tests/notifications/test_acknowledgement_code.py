"""No path leaves a raiser without a usable code: a retried acknowledgement whose code was wiped
carries a newly issued one (and the API reissues codes for staff)."""

from __future__ import annotations

import re

from sqlalchemy import select

from notifications.delivery import deliver
from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.access_codes import retry_outbox_message
from tracker.services.errors import NotFound
from tracker.services.public import lookup_public_case

CODE = re.compile(r"\b[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}\b")


def usable(reference: str, code: str) -> bool:
    try:
        lookup_public_case(reference, code)
    except NotFound:
        return False
    return True


def test_a_failed_acknowledgement_retried_carries_a_new_working_code(
    smtp, make_case, outbox_rows, now, admin
):
    logged = make_case(raised_by_email="dara@example.org", now=now)
    smtp.handler.data_replies["dara@example.org"] = "550 mailbox unavailable"
    deliver(now)
    [row] = outbox_rows()
    assert row.status == "failed" and "access_code" not in row.context  # wiped
    del smtp.handler.data_replies["dara@example.org"]

    retry_outbox_message(admin, row.id, now=now)
    deliver(now)
    [received] = smtp.handler.to("dara@example.org")
    text = received.message.get_body(("plain",)).get_content()
    db.session.expire_all()
    case = db.session.get(Case, logged.case.id)
    codes = CODE.findall(text)
    assert codes, text
    assert usable(case.reference, codes[0])
    assert not usable(case.reference, logged.access_code)  # it never reached the raiser
    events = db.session.scalars(select(Event).where(Event.kind == "code_reissued")).all()
    assert [e.data for e in events] == [{"reason": "acknowledgement retried"}]
    assert codes[0] not in str(outbox_rows()[0].context)  # wiped again once sent


def test_an_unsent_acknowledgement_retried_once_mail_works_carries_a_code(
    app, smtp, make_case, outbox_rows, now, admin
):
    app.config["MAIL_ENABLED"] = False
    logged = make_case(raised_by_email="dara@example.org", now=now)
    deliver(now)
    [row] = outbox_rows()
    assert row.status == "unsent" and "access_code" not in row.context
    app.config["MAIL_ENABLED"] = True
    retry_outbox_message(admin, row.message_id, now=now)
    deliver(now)
    [received] = smtp.handler.to("dara@example.org")
    text = received.message.get_body(("plain",)).get_content()
    assert logged.case.reference in text
    codes = CODE.findall(text)
    assert codes and usable(logged.case.reference, codes[0])


def test_other_retried_messages_are_left_as_they_are(
    smtp, make_case, officer, make_user, now, outbox_rows, admin
):
    from tracker.services.cases import assign_case

    colleague = make_user("officer", email="colleague@example.org")
    logged = make_case(raised_by_email="", now=now)
    assign_case(officer, logged.case.reference, colleague.id, now=now)
    smtp.handler.data_replies["colleague@example.org"] = "550 no"
    deliver(now)
    [row] = outbox_rows("case_assigned")
    retry_outbox_message(admin, row.id, now=now)
    assert usable(logged.case.reference, logged.access_code)
    assert db.session.scalars(select(Event).where(Event.kind == "code_reissued")).all() == []
