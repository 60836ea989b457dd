""" "Was it resolved?": by the API, the status page and the signed link; "no" tells the owner."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from notifications.delivery import deliver
from tests.public.conftest import CLOSED_AT, thirty_working_days_after
from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import Event, Feedback, now_utc
from tracker.services.transitions import fire_trigger


def feedback_rows() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Feedback))


def test_no_gives_the_appeal_date_and_tells_the_owner(
    client, login, closed_case, officer, smtp, now
):
    ref, code = closed_case.case.reference, closed_case.access_code
    answer = client.post(
        f"/api/v1/public/cases/{ref}/feedback",
        json={"access_code": code, "resolved": "no", "comment": "Still not paid in May."},
    )
    assert answer.status_code == 201, answer.get_json()
    expected = thirty_working_days_after(CLOSED_AT.date())  # the holidays package's calendar
    assert answer.get_json()["appeal_until"] == expected.isoformat()
    event = db.session.scalar(select(Event).where(Event.kind == "feedback"))
    assert (event.actor_label, event.data["resolved"], event.public) == ("public", "no", False)

    deliver(now_utc())
    [told] = [m for m in smtp.handler.to(officer.email) if "not resolved" in m.message["Subject"]]
    assert ref in str(told.message["Subject"])
    assert "Still not paid in May." in told.message.get_body(("plain",)).get_content()

    login(officer)
    page = client.get(f"/cases/{ref}").get_data(as_text=True)
    assert "reopen-request" in page and "Still not paid in May." in page
    assert 'transitions/reopen"' in page


def test_one_answer_per_closing_and_bad_input_changes_nothing(client, closed_case, officer):
    ref, code = closed_case.case.reference, closed_case.access_code
    url = f"/api/v1/public/cases/{ref}/feedback"
    assert client.post(url, json={"access_code": code, "resolved": "maybe"}).status_code == 422
    wrong = client.post(url, json={"access_code": "AAAA-BBBB-CCCC", "resolved": "yes"})
    assert wrong.status_code == 404
    assert feedback_rows() == 0
    first = client.post(url, json={"access_code": code, "resolved": "yes"})
    assert first.status_code == 201 and first.get_json()["appeal_until"] is None
    assert client.post(url, json={"access_code": code, "resolved": "no"}).status_code == 409
    assert feedback_rows() == 1
    # Reopened and closed again: the new closing is asked again.
    fire_trigger(officer, ref, "reopen", {"reason": "More workers came."})
    fire_trigger(officer, ref, "close", {"outcome": "resolved", "resolution": "Paid."})
    assert client.post(url, json={"access_code": code, "resolved": "partly"}).status_code == 201
    assert feedback_rows() == 2


def test_the_closing_email_carries_a_signed_link_that_works_once(client, closed_case, outbox_rows):
    [closing] = outbox_rows("case_closed")
    link = closing.context["feedback_url"]
    path = link.removeprefix("http://tracker.test")
    assert client.get(path).status_code == 200
    tampered = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    assert client.get(tampered).status_code == 404
    assert post_form(client, tampered, {"resolved": "yes"}).status_code == 404
    assert feedback_rows() == 0
    done = post_form(client, path, {"resolved": "no", "comment": "Not paid."})
    assert done.status_code == 200
    assert "Social Security Regulator" in done.get_data(as_text=True)
    db.session.expire_all()
    given = db.session.scalar(select(Feedback))
    assert (given.channel, given.appeal_until) == (
        "link",
        thirty_working_days_after(CLOSED_AT.date()),
    )
    assert client.get(path).status_code == 410
    assert post_form(client, path, {"resolved": "yes"}).status_code == 410
    assert db.session.scalar(select(Feedback.resolved)) == "no" and feedback_rows() == 1


def test_the_status_page_asks_and_shows_the_appeal_route(client, closed_case):
    ref, code = closed_case.case.reference, closed_case.access_code
    page = post_form(client, "/status", {"reference": ref, "access_code": code})
    assert 'action="/status/feedback"' in page.get_data(as_text=True)
    answered = post_form(
        client, "/status/feedback", {"reference": ref, "access_code": code, "resolved": "no"}
    )
    html = answered.get_data(as_text=True)
    assert answered.status_code == 200 and "Social Security Regulator" in html
    assert 'action="/status/feedback"' not in html
    assert feedback_rows() == 1


def test_feedback_is_counted_in_the_reports_and_exports(
    client, login, closed_case, officer, make_case, agency
):
    ref, code = closed_case.case.reference, closed_case.access_code
    url = f"/api/v1/public/cases/{ref}/feedback"
    assert client.post(url, json={"access_code": code, "resolved": "partly"}).status_code == 201
    other = make_case(category="maternity")
    fire_trigger(officer, other.case.reference, "analyse", {"owner_id": officer.id, "note": "x"})
    fire_trigger(officer, other.case.reference, "close", {"outcome": "resolved", "resolution": "y"})
    client.post(
        f"/api/v1/public/cases/{other.case.reference}/feedback",
        json={"access_code": other.access_code, "resolved": "no"},
    )
    from tracker.services.satisfaction import satisfaction

    by_category = {
        row.value: (row.yes, row.partly, row.no) for row in satisfaction(officer, "category")
    }
    assert by_category == {"contributions": (0, 1, 0), "maternity": (0, 0, 1)}
    [by_agency] = [row for row in satisfaction(officer, "agency") if row.value == agency.id]
    assert (by_agency.partly, by_agency.answers) == (1, 1)

    from tracker.services.tokens import issue_token_for

    token = issue_token_for(officer).token
    report = client.get(
        "/api/v1/reports/satisfaction", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert {(r["value"], r["no"]) for r in report["category"]} == {
        ("contributions", 0),
        ("maternity", 1),
    }
    login(officer)
    csv = client.get("/reports/export.csv?by=satisfaction").get_data(as_text=True)
    assert "category,contributions,Contribution registration & payment,0,1,0,1,0.0" in csv
    assert "category,maternity" in csv and "agency," in csv
    page = client.get("/reports").get_data(as_text=True)
    assert 'class="crosstab satisfaction" data-by="category"' in page


def test_the_link_page_says_what_is_wrong_in_khmer(client, closed_case, outbox_rows):
    """No answer chosen, or the link used again: the raiser reads why in Khmer."""
    [closing] = outbox_rows("case_closed")
    path = closing.context["feedback_url"].removeprefix("http://tracker.test")
    post_form(client, "/language", {"language": "km", "next": path})
    empty = post_form(client, path, {"comment": "ហេតុអ្វី?"}).get_data(as_text=True)
    assert "សូមជ្រើសរើសចម្លើយមួយ" in empty and "Must be one of" not in empty
    assert feedback_rows() == 0
    post_form(client, path, {"resolved": "no"})
    again = client.get(path)
    html = again.get_data(as_text=True)
    assert again.status_code == 410
    assert "តំណនេះសម្រាប់ការបិទករណីលើកមុន" in html and "/password/forgot" not in html


def test_the_officer_reads_who_said_no_in_khmer(client, closed_case, outbox_rows, make_user, login):
    """The feedback event's actor is the public: the Khmer case page says so in Khmer."""
    [closing] = outbox_rows("case_closed")
    path = closing.context["feedback_url"].removeprefix("http://tracker.test")
    post_form(client, path, {"resolved": "no", "comment": "មិនទាន់បានទទួលប្រាក់ទេ។"})
    login(make_user("officer", language="km"))
    html = client.get(f"/cases/{closed_case.case.reference}").get_data(as_text=True)
    metas = re.findall(r'<div class="tl-meta">([^<·]*)·', html)
    assert "សាធារណជន " in metas
    assert all(who.strip() != "public" for who in metas)
