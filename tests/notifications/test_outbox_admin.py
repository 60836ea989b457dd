"""The admin outbox service and the ``flask notify`` / ``flask scheduler`` commands."""

from __future__ import annotations

import json

import pytest

from notifications.email import render_email, safe_subject
from tracker.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tracker.services.outbox import list_outbox, outbox_counts, retry_message

TEMPLATES = (
    "case_logged",
    "case_assigned",
    "case_referred",
    "case_responded",
    "case_closed",
    "case_reopened",
    "feedback_not_resolved",
    "reminder_due_soon",
    "overdue_notice",
    "escalation",
    "digest_officer",
    "digest_agency",
    "digest_representative",
    "digest_admin",
)
CASE = {
    "reference": "GRV-2026-00042",
    "title": "Maternity <benefit> delayed",
    "state": "referred",
    "due_at": "2026-03-20T10:00:00+00:00",
    "category": "maternity",
    "priority": "high",
    "province": "KH-12",
}
SECTION = {"cases": [{**CASE}], "more": 2, "total": 3}
CONTEXT = {
    "case": CASE,
    "audience": "staff",
    "access_code": "ABCD-EFGH-JKLM",
    "note": "A note",
    "outcome": "resolved",
    "resolution": "Paid.",
    "comment": "Not paid in May.",
    "appeal_until": "2026-05-21",
    "overdue_days": 12,
    "unassigned": True,
    "owner_name": "",
    "agency_name": "NSSF",
    "summary": {
        "description": "Long story",
        "people_affected": 40,
        "agency_name_en": "NSSF",
        "agency_name_km": "បេឡាជាតិ",
    },
    "week": {"year": 2026, "week": 12},
    "overdue": SECTION,
    "due_this_week": SECTION,
    "new": SECTION,
    "pending": SECTION,
    "changed": SECTION,
    "organisation_name": "Union",
    "overdue_by_owner": [{"name": "Sok", "count": 2}],
    "overdue_by_agency": [{"name": "NSSF", "count": 1}],
    "overdue_total": 3,
    "pending_overdue": 1,
    "other_open": 2,
    "name": "Sok Dara",
    "hours": 48,
    "link": "http://tracker.test/invitation/x",
    "action": {"en": "Put on hold", "km": "ផ្អាក"},
}


@pytest.mark.parametrize("language", ["en", "km"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_email_renders_in_both_languages_and_both_parts(app, template, language):
    public = template in ("case_logged", "case_closed")  # these go to whoever raised the case
    context = {**CONTEXT, "audience": "public" if public else "staff"}
    if template == "digest_admin":
        context["unassigned"] = SECTION
    rendered = render_email(template, language, context)
    assert rendered.subject and "\n" not in rendered.subject
    for part in (rendered.text, rendered.html):
        assert "GRV-2026-00042" in part or (template == "digest_admin" and "Sok" in part)
    assert "<benefit>" not in rendered.html  # HTML escapes what people typed
    khmer = any("\u1780" <= ch <= "\u17ff" for ch in rendered.subject + rendered.text)
    assert khmer is (language == "km")
    if public:
        assert "http://tracker.test/status?reference=GRV-2026-00042" in rendered.text


def test_list_outbox_pages_filters_and_hides_secrets(make_case, admin, now):
    for number in range(3):
        make_case(raised_by_email=f"r{number}@example.org", now=now)
    page = list_outbox(admin, page=1, per_page=2, subject=safe_subject)
    assert (page.total, len(page.items), page.per_page) == (3, 2, 2)
    assert list_outbox(admin, page=2, per_page=2).items[0].recipient_email == "r0@example.org"
    assert list_outbox(admin, status="sent").total == 0
    assert outbox_counts(admin)["pending"] == 3
    assert all("access_code" not in repr(entry) for entry in page.items)
    with pytest.raises(ValidationFailed):
        list_outbox(admin, status="lost")


def test_only_admins_read_or_retry_the_outbox(make_case, outbox_rows, officer, now):
    make_case(raised_by_email="dara@example.org", now=now)
    [row] = outbox_rows()
    for call in (lambda: list_outbox(officer), lambda: outbox_counts(officer)):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(PermissionDenied):
        retry_message(officer, row.id)


def test_retry_refuses_pending_rows_and_unknown_ids(make_case, outbox_rows, admin, now):
    make_case(raised_by_email="dara@example.org", now=now)
    [row] = outbox_rows()
    with pytest.raises(Conflict):
        retry_message(admin, row.id)
    with pytest.raises(NotFound):
        retry_message(admin, "<nope@tracker.test>")


def test_notify_command_runs_one_job_at_a_given_time(runner, make_case, now):
    make_case(raised_by_email="dara@example.org", now=now)
    result = runner.invoke(args=["notify", "deliver", "--now", "2026-03-04T16:00:00"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "job": "deliver",
        "sent": 0,
        "retried": 0,
        "failed": 0,
        "unsent": 1,
    }
    result = runner.invoke(args=["notify", "digest", "--now", "2026-03-09T07:00:00"])
    assert json.loads(result.output)["queued"] == 0  # 07:00 Phnom Penh: before the digest
    result = runner.invoke(args=["notify", "remind", "--now", "yesterday"])
    assert result.exit_code != 0 and "ISO 8601" in result.output


def test_scheduler_command_is_registered(runner):
    result = runner.invoke(args=["scheduler", "--help"])
    assert result.exit_code == 0 and "--clock-file" in result.output
