"""The public forms join the error summary of every form (GOV.UK pattern): /raise, "Was it
resolved?" on /status and by its link, the agency's answer link, and a /status lookup that finds
nothing. The answer link shows what the agency was asked right above the answer box."""

from __future__ import annotations

import re

from flask_babel import force_locale, gettext
from sqlalchemy import select

from notifications.models import OutboxMessage
from tests.public.conftest import CLOSED_AT
from tests.public.test_agency_link import referred
from tests.public.test_feedback import feedback_rows
from tests.public.test_raise import CONCERN, count_cases
from tests.web.conftest import post_form, state_of
from tracker.extensions import db
from tracker.public_links import feedback_token

SUMMARY = '<div class="error-summary" role="alert" tabindex="-1"'


def summary_links(html: str) -> list[str]:
    """The ids the summary links to; each must be an element of the page."""
    start = html.index("data-error-summary")
    links = re.findall(r'<a href="#([^"]+)"', html[start : html.index("</div>", start)])
    for target in links:
        assert f'id="{target}"' in html, target
    return links


def test_a_failed_raise_is_summarised_at_the_top(client):
    response = post_form(client, "/raise", {**CONCERN, "title": "", "description": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and SUMMARY in html
    assert summary_links(html) == ["title", "description"]
    assert html.index("data-error-summary") < html.index('action="/raise"')
    assert "<title>Error: Raise a concern" in html
    assert count_cases() == 0


def test_a_failed_answer_on_the_status_page_is_summarised_in_khmer(app, client, closed_case):
    ref, code = closed_case.case.reference, closed_case.access_code
    post_form(client, "/language", {"language": "km"})
    response = post_form(client, "/status/feedback", {"reference": ref, "access_code": code})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and SUMMARY in html
    assert summary_links(html) == ["resolved"]
    with app.test_request_context(), force_locale("km"):
        heading, label = gettext("There is a problem"), gettext("Was it resolved?")
        message = gettext("Must be one of: yes, partly, no.")
    assert heading != "There is a problem" and f">{heading}</h2>" in html
    assert f"{label} {message}" in html  # the label's own "?" stands for the colon
    assert "Must be one of" not in html  # the service's English does not reach a Khmer reader
    assert feedback_rows() == 0


def test_a_failed_answer_by_the_closing_link_is_summarised(client, closed_case):
    path = f"/feedback/{feedback_token(closed_case.case.id, CLOSED_AT)}"
    response = post_form(client, path, {"resolved": "maybe"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and summary_links(html) == ["resolved"]
    assert "<title>Error: Was it resolved?" in html
    assert feedback_rows() == 0


def test_a_refused_answer_keeps_what_was_written(client, closed_case):
    """Forgetting the choice does not lose the comment typed on a phone; a refused comment keeps
    the choice."""
    ref, code = closed_case.case.reference, closed_case.access_code
    form = {"reference": ref, "access_code": code, "comment": "Still not paid in May."}
    html = post_form(client, "/status/feedback", form).get_data(as_text=True)
    assert ">Still not paid in May.</textarea>" in html
    path = f"/feedback/{feedback_token(closed_case.case.id, CLOSED_AT)}"
    refused = post_form(client, path, {"resolved": "partly", "comment": "x" * 2001})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and re.search(r'value="partly"[^>]* checked', page)
    assert feedback_rows() == 0


def test_a_status_lookup_that_finds_nothing_is_summarised(client):
    response = post_form(client, "/status", {"reference": "GRV-2026-99999", "access_code": "X"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and summary_links(html) == ["reference"]
    assert "No case matches this reference and access code" in html
    assert "<title>Error: Case status" in html


def test_the_answer_link_shows_what_was_asked_above_the_answer_box(
    client, make_case, officer, agency
):
    ref, path = referred(make_case, officer, agency)
    html = client.get(path).get_data(as_text=True)
    assert "data-error-summary" not in html
    asked = html.index("data-referral-note")
    assert html.index('id="response"') > asked > html.index("This link works until")
    assert "Check it." in html[asked : html.index('id="response"')]
    assert "What National Social Security Fund was asked on" in html

    refused = post_form(client, path, {"response": " "})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and summary_links(page) == ["response"]
    assert "<title>Error: Answer a referral" in page and "data-referral-note" in page
    assert state_of(ref) == "referred"
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "case_referred"))
