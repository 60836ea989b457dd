"""SMS through a gateway on loopback: who gets one, what it carries, retries, segments."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from notifications.delivery import deliver
from tests.http_recorder import Answer, RecordingServer
from tracker.extensions import db
from tracker.models import Event

PHONE_ONLY = {"raised_by_email": "", "raised_by_phone": "012 345 678"}


@pytest.fixture
def gateway(app):
    """An SMS gateway on 127.0.0.1 that accepts everything (202) until told otherwise."""
    server = RecordingServer(Answer(202, {"queued": True}))
    server.start()
    app.config.update(SMS_GATEWAY_URL=f"{server.url}/send", SMS_GATEWAY_TOKEN="gateway-token")
    yield server
    server.recorder.release.set()
    server.stop()


def test_a_raiser_with_only_a_phone_gets_the_acknowledgement_by_sms(
    gateway, make_case, outbox_rows, now
):
    logged = make_case(now=now, language="km", **PHONE_ONLY)
    [row] = outbox_rows()
    assert (row.channel, row.recipient_email, row.language) == ("sms", "+85512345678", "km")
    report = deliver(now)
    assert report.sent == 1
    [call] = gateway.calls
    assert call.path == "/send"
    assert call.headers["Authorization"] == "Bearer gateway-token"
    assert call.body["to"] == "+85512345678" and call.body["id"] == row.message_id
    assert logged.case.reference in call.body["text"]
    assert logged.access_code in call.body["text"]
    [row] = outbox_rows()
    assert row.status == "sent" and "access_code" not in row.context  # scrubbed once sent


def test_the_channel_chosen_wins_over_the_default(gateway, make_case, outbox_rows, now):
    make_case(
        now=now, raised_by_email="dara@example.org", raised_by_phone="012 345 678", channel="sms"
    )
    assert [(r.channel, r.recipient_email) for r in outbox_rows()] == [("sms", "+85512345678")]
    make_case(now=now, raised_by_email="sok@example.org", channel="none")
    assert len(outbox_rows()) == 1  # "none": nobody is told


def test_gateway_down_then_back_delivers_once(app, gateway, make_case, outbox_rows, now):
    from datetime import timedelta

    make_case(now=now, **PHONE_ONLY)
    gateway.stop()
    report = deliver(now)
    assert (report.sent, report.retried) == (0, 1)
    [row] = outbox_rows()
    assert row.status == "pending" and row.next_attempt_at > now
    gateway.recorder.queued.append(Answer(503, {"error": "busy"}))  # first call after it is back
    gateway.start()
    later = now + timedelta(hours=2)
    assert deliver(later).retried == 1  # the 503 is retried too
    [row] = outbox_rows()
    assert row.status == "pending" and "503" in row.last_error
    assert deliver(later + timedelta(hours=2)).sent == 1
    assert deliver(later + timedelta(hours=4)).sent == 0
    assert len(gateway.calls) == 2  # the 503 and the delivery: nothing sent twice
    assert outbox_rows()[0].status == "sent"


def test_a_gateway_refusing_for_good_fails_the_row_on_the_case(
    app, gateway, make_case, outbox_rows, now
):
    from datetime import timedelta

    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    logged = make_case(now=now, **PHONE_ONLY)
    gateway.recorder.default = Answer(400, {"error": "bad number"})
    deliver(now)
    deliver(now + timedelta(hours=3))
    [row] = outbox_rows()
    assert row.status == "failed" and "400" in row.last_error
    notes = db.session.scalars(
        select(Event.note).where(Event.case_id == logged.case.id, Event.kind == "mail_failed")
    ).all()
    assert len(notes) == 1 and notes[0].startswith("SMS 'case_logged'")


def test_without_a_gateway_sms_rows_are_held_unsent(app, make_case, outbox_rows, now):
    make_case(now=now, **PHONE_ONLY)
    report = deliver(now)
    assert report.unsent == 1
    [row] = outbox_rows()
    assert row.status == "unsent" and "access_code" not in row.context
