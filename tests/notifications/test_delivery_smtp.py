"""Delivery through a real SMTP server on loopback: content, retries, failures, outages."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from notifications.delivery import deliver
from notifications.email import safe_subject
from tests.notifications.conftest import run_concurrently
from tracker.extensions import db
from tracker.models import Event
from tracker.services.outbox import list_outbox, retry_message


def test_messages_arrive_with_recipient_subject_language_and_both_parts(
    smtp, make_case, outbox_rows, now
):
    logged = make_case(language="km", raised_by_email="dara@example.org", now=now)
    report = deliver(now)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    [received] = smtp.handler.messages
    message = received.message
    assert received.rcpt_tos == ["dara@example.org"]
    assert "dara@example.org" in message["To"]
    assert message["Subject"] == f"បញ្ហារបស់អ្នកត្រូវបានកត់ត្រាជាករណី {logged.case.reference}"
    assert message["Content-Language"] == "km"
    assert message.is_multipart()
    assert "multipart/alternative" in {part.get_content_type() for part in message.walk()}
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert logged.case.reference in part
        assert logged.access_code in part
        assert f"http://tracker.test/status?reference={logged.case.reference}" in part
    [row] = outbox_rows()
    assert received.message_id == row.message_id
    assert (row.status, row.attempts, row.sent_at) == ("sent", 1, now)
    assert "access_code" not in row.context  # the clear code does not outlive the delivery


def test_staff_emails_link_to_the_case_page_in_english(smtp, make_case, make_user, officer, now):
    from tracker.services.cases import assign_case

    colleague = make_user("officer", email="colleague@example.org")
    ref = make_case(raised_by_email="", now=now).case.reference
    assign_case(officer, ref, colleague.id, now=now)
    deliver(now)
    [received] = smtp.handler.to("colleague@example.org")
    assert received.message["Subject"] == f"Case {ref} is assigned to you"
    assert received.message["Content-Language"] == "en"
    assert f"http://tracker.test/cases/{ref}" in received.message.get_body(("plain",)).get_content()


def test_a_name_with_a_header_injection_sends_to_nobody_extra(
    smtp, make_case, make_user, officer, outbox_rows, now
):
    from tracker.services.cases import assign_case

    victim = make_user("officer", email="owner@example.org", name="Eve\r\nBcc: evil@example.org")
    ref = make_case(raised_by_email="dara@example.org", now=now).case.reference
    # Whatever got into a stored name (an import, an old row): it must not become a header.
    [ack] = outbox_rows("case_logged")
    ack.recipient_name = "Dara\r\nBcc: evil@example.org\r\nX-Evil: 1"
    db.session.commit()
    assign_case(officer, ref, victim.id, now=now)
    report = deliver(now)
    assert report.sent == 2
    recipients = sorted(r for m in smtp.handler.messages for r in m.rcpt_tos)
    assert recipients == ["dara@example.org", "owner@example.org"]
    for received in smtp.handler.messages:
        assert received.message["Bcc"] is None and received.message["X-Evil"] is None
        assert len(received.message.get_all("To")) == 1


def test_451_is_retried_with_backoff_and_then_delivered(smtp, make_case, outbox_rows, now):
    smtp.handler.data_replies["dara@example.org"] = "451 4.3.0 Try again later"
    make_case(raised_by_email="dara@example.org", now=now)
    report = deliver(now)
    assert (report.sent, report.retried) == (0, 1)
    [row] = outbox_rows()
    assert row.status == "pending" and row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at >= now + timedelta(seconds=60)
    assert deliver(now + timedelta(seconds=30)).retried == 0  # not due yet: no hot loop
    del smtp.handler.data_replies["dara@example.org"]
    assert deliver(now + timedelta(minutes=5)).sent == 1
    assert len(smtp.handler.messages) == 1
    assert outbox_rows()[0].status == "sent"


def test_550_fails_at_once_and_shows_to_admins_and_on_the_case(
    smtp, make_case, outbox_rows, admin, now
):
    smtp.handler.rcpt_replies["dara@example.org"] = "550 5.1.1 No such user"
    logged = make_case(raised_by_email="dara@example.org", now=now)
    report = deliver(now)
    assert (report.sent, report.retried, report.failed) == (0, 0, 1)
    [row] = outbox_rows()
    assert row.status == "failed" and "550" in row.last_error
    assert "access_code" not in row.context
    failed = list_outbox(admin, status="failed")
    assert failed.total == 1 and failed.items[0].case_reference == logged.case.reference
    kinds = db.session.scalars(select(Event.kind).where(Event.case_id == logged.case.id)).all()
    assert "mail_failed" in kinds
    assert deliver(now + timedelta(days=1)).sent == 0  # failed rows are not retried by themselves


def test_a_message_failing_every_time_is_failed_after_the_maximum_attempts(
    app, smtp, make_case, outbox_rows, now
):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    smtp.handler.data_replies["dara@example.org"] = "421 4.7.0 Service not available"
    make_case(raised_by_email="dara@example.org", now=now)
    moment = now
    for _ in range(3):
        deliver(moment)
        moment += timedelta(hours=2)
    [row] = outbox_rows()
    assert (row.status, row.attempts) == ("failed", 3)
    assert "gave up after 3 attempts" in row.last_error


def test_smtp_down_for_hours_loses_nothing_and_delivers_each_message_once(
    smtp, make_case, outbox_rows, now
):
    smtp.stop()
    for number in range(5):
        make_case(raised_by_email=f"raiser{number}@example.org", now=now)
    moment = now
    attempts_seen = []
    while moment < now + timedelta(hours=6):
        deliver(moment)
        attempts_seen.append(max(r.attempts for r in outbox_rows()))
        moment += timedelta(minutes=10)
    # Backoff without a hot loop: 36 runs over 6 hours made only a handful of attempts per row.
    assert 4 <= attempts_seen[-1] <= 12
    assert all(r.status == "pending" for r in outbox_rows())
    smtp.start()
    report = deliver(moment + timedelta(hours=2))
    assert report.sent == 5
    assert deliver(moment + timedelta(hours=4)).sent == 0
    counts = Counter(r for m in smtp.handler.messages for r in m.rcpt_tos)
    assert counts == {f"raiser{n}@example.org": 1 for n in range(5)}
    assert {r.status for r in outbox_rows()} == {"sent"}


def test_a_hanging_server_times_out_and_the_batch_goes_on(app, smtp, make_case, outbox_rows, now):
    app.config["MAIL_TIMEOUT"] = 0.5
    smtp.handler.hang.add("slow@example.org")  # never answers until the test releases it
    for address in ("first@example.org", "slow@example.org", "last@example.org"):
        make_case(raised_by_email=address, now=now)
    reports = []
    worker = threading.Thread(target=_report_delivery, args=(app, now, reports))
    worker.start()
    try:
        # Without the timeout the run would wait for the server for ever; 120 s is only a
        # bound so that a broken timeout fails the test instead of hanging it.
        worker.join(120)
        assert not worker.is_alive(), "the delivery run waited for the hanging server"
    finally:
        smtp.handler.release.set()
        worker.join(30)
    (report,) = reports
    assert (report.sent, report.retried) == (2, 1)
    rows = {r.recipient_email: r for r in outbox_rows()}
    assert {email: r.status for email, r in rows.items()} == {
        "first@example.org": "sent",
        "slow@example.org": "pending",
        "last@example.org": "sent",
    }
    assert rows["slow@example.org"].last_error  # the timeout, kept for the retry


def test_without_a_mail_server_rows_are_kept_as_unsent_and_can_be_retried(
    make_case, outbox_rows, admin, now
):
    make_case(raised_by_email="dara@example.org", now=now)
    report = deliver(now)
    assert (report.sent, report.unsent) == (0, 1)
    [row] = outbox_rows()
    assert row.status == "unsent" and "No mail server" in row.last_error
    page = list_outbox(admin, status="unsent", subject=safe_subject)
    assert page.total == 1
    assert page.items[0].subject.startswith("Your concern is logged")
    retried = retry_message(admin, row.message_id, now=now)
    assert retried.status == "pending" and retried.attempts == 0


def test_concurrent_workers_send_every_message_exactly_once(app, smtp, make_case, now):
    """Several workers at once claim disjoint rows (SKIP LOCKED / the SQLite write lock)."""
    app.config["OUTBOX_BATCH_SIZE"] = 5
    for number in range(40):
        make_case(raised_by_email=f"r{number}@example.org", now=now)
    run_concurrently(app, lambda: deliver(now), 4)
    counts = Counter(r for m in smtp.handler.messages for r in m.rcpt_tos)
    assert counts == {f"r{n}@example.org": 1 for n in range(40)}


def test_a_later_batch_is_claimed_from_when_it_starts_not_when_the_run_started(
    app, smtp, make_case, outbox_rows, now
):
    """A long run must not claim its later batches already expired (another worker resends)."""
    from notifications.models import OutboxMessage

    make_case(raised_by_email="slow@example.org", now=now)
    make_case(raised_by_email="held@example.org", now=now)
    held = outbox_rows()[1]
    smtp.handler.delays["slow@example.org"] = 1.0  # the first batch takes a second
    smtp.handler.hold_at = 2  # the second batch waits here until we have looked at its claim
    worker = threading.Thread(target=_deliver_in_context, args=(app, now))
    worker.start()
    try:
        assert smtp.handler.arrived.wait(30)
        claimed_until = db.session.scalar(
            select(OutboxMessage.claimed_until).where(OutboxMessage.id == held.id)
        )
    finally:
        smtp.handler.release.set()
        worker.join(30)
    hold = timedelta(seconds=app.config["MAIL_TIMEOUT"] + 5)  # one row per batch
    assert claimed_until >= now + timedelta(seconds=1) + hold


def _deliver_in_context(app, now) -> None:
    with app.app_context():
        try:
            deliver(now, batch_size=1)
        finally:
            db.session.remove()


def _report_delivery(app, now, reports: list) -> None:
    with app.app_context():
        try:
            reports.append(deliver(now))
        finally:
            db.session.remove()
