"""Daily limits on raising cases (per account, per raiser address): 429 with Retry-After on the
API, a message on the web page, nothing logged; staff are not limited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.api.test_api_problems import assert_problem
from tests.conftest import CASE_FIELDS
from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import Case
from tracker.services.cases import log_case
from tracker.services.errors import TooManyRequests

DAY = 24 * 60 * 60


def _count() -> int:
    return db.session.scalar(select(func.count(Case.id)))


@pytest.fixture
def limits(app):
    """Three cases per account and two per address a day."""
    app.config.update(CASE_LIMIT_PER_USER_PER_DAY=3, CASE_LIMIT_PER_ADDRESS_PER_DAY=2)


def _body(number: int, email: str = "") -> dict:
    return {**CASE_FIELDS, "title": f"Concern {number}", "raised_by_email": email}


def test_creation_past_the_daily_limit_per_account_is_429_with_retry_after(
    limits, api_as, representative
):
    client = api_as(representative)
    for number in range(3):
        assert client.post("/api/v1/cases", json=_body(number)).status_code == 201
    refused = client.post("/api/v1/cases", json=_body(9))
    assert "as many cases" in assert_problem(refused, 429)["detail"]
    assert 0 < int(refused.headers["Retry-After"]) <= DAY
    assert _count() == 3


def test_creation_past_the_daily_limit_per_address_is_429(limits, api_as, make_user, organisation):
    first, second = (make_user("representative", organisation_id=organisation.id) for _ in "ab")
    assert api_as(first).post("/api/v1/cases", json=_body(1, "x@example.org")).status_code == 201
    assert api_as(second).post("/api/v1/cases", json=_body(2, "X@Example.org")).status_code == 201
    refused = api_as(second).post("/api/v1/cases", json=_body(3, "x@EXAMPLE.org"))
    assert "email address" in assert_problem(refused, 429)["detail"]
    assert int(refused.headers["Retry-After"]) > 0
    assert api_as(second).post("/api/v1/cases", json=_body(4, "y@example.org")).status_code == 201


def test_the_limit_counts_the_last_24_hours(limits, representative, now):
    for number in range(3):
        log_case(representative, _body(number), now=now + timedelta(hours=number))
    with pytest.raises(TooManyRequests) as refused:
        log_case(representative, _body(5), now=now + timedelta(hours=10))
    assert refused.value.retry_after == 14 * 60 * 60  # when the first leaves the window
    log_case(representative, _body(6), now=now + timedelta(hours=24, seconds=1))
    assert _count() == 4


def test_staff_are_not_limited(limits, api_as, officer):
    client = api_as(officer)
    for number in range(5):
        assert client.post("/api/v1/cases", json=_body(number, "x@example.org")).status_code == 201


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "You have raised as many cases as one account may in a day."),
        ("km", "អ្នកបានលើកករណីគ្រប់ចំនួនដែលគណនីមួយអាចលើកបានក្នុងមួយថ្ងៃហើយ។"),
    ],
)
def test_the_web_form_says_so_past_the_limit(limits, app, representative, now, language, message):
    from tests.web.conftest import IsolatedClient, post_login

    representative.language = language
    db.session.commit()
    for number in range(3):
        log_case(representative, _body(number))
    app.test_client_class = IsolatedClient
    client = app.test_client()
    assert post_login(client, representative.email).status_code == 302
    form = {"title": "One more", "description": "Again.", "category": "other"}
    form |= {"gender_focus": "all", "priority": "normal", "language": "en"}
    answer = post_form(client, "/cases/new", form)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"]
    assert message in answer.get_data(as_text=True)
    assert _count() == 3
