"""Odd input to the pages (huge numbers, NUL characters, framework keywords): a clear 4xx or a
page that ignores it, never a 500, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from tests.web.conftest import csrf_token, post_form

HUGE = "9" * 25


@pytest.mark.parametrize(
    "url",
    [
        f"/cases?page={HUGE}",
        "/cases?page=%C2%B2",  # "²" is a digit to str.isdigit, not to int()
        f"/cases?agency_id={HUGE}",
        f"/cases?owner_id={HUGE}&forum_id={HUGE}",
        f"/cases/export.csv?agency_id={HUGE}",
        f"/referrals?agency_id={HUGE}",
        f"/intake/go?forum_id={HUGE}",
    ],
)
def test_huge_numbers_in_the_query_are_ignored(client, login, officer, make_case, url):
    make_case()
    login(officer)
    response = client.get(url)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "url",
    [
        f"/intake/{HUGE}",
        f"/forums/{HUGE}/brief",
        f"/admin/users/{HUGE}",
        f"/admin/agencies/{HUGE}",
        f"/admin/forums/{HUGE}",
    ],
)
def test_huge_ids_in_the_path_are_not_found(client, login, admin, url):
    login(admin)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/cases/GRV%00",
        "/cases/GRV%00/edit",
        "/cases?q=%00",
        "/cases?category=%00",
        "/cases?province=a%00b",
        "/cases/export.csv?gender_focus=%00",
        "/admin/categories/%00",
    ],
)
def test_nul_characters_in_a_page_request_are_refused(client, login, admin, make_case, url):
    make_case()
    login(admin)
    response = client.get(url)
    assert response.status_code == 400
    assert "text/html" in response.content_type


def test_nul_characters_in_forms_are_refused_and_change_nothing(client, login, officer, make_case):
    reference = make_case().case.reference
    anonymous = client.post(
        "/login",
        data={"csrf_token": csrf_token(client, "/login"), "email": "a\x00@x.org", "password": "x"},
    )
    assert anonymous.status_code == 400
    login(officer)
    new = post_form(
        client,
        "/cases/new",
        {"title": "t", "description": "d", "category": "mat\x00ernity"},
    )
    assert new.status_code == 400
    comment = post_form(client, f"/cases/{reference}/comments", {"body": "hello\x00"})
    assert comment.status_code == 400
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "hello" not in page


def test_framework_keywords_in_the_query_do_not_reach_the_links(client, login, officer):
    login(officer)
    response = client.get("/cases?_method=POST&_anchor=x&_external=1&state=logged")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'href="/cases/export.csv?state=logged"' in html
    assert "#x" not in html and "http://" not in html.split("<main", 1)[-1]


@pytest.mark.parametrize("index", ["9" * 5000, "1" + "0" * 7])
def test_an_intake_row_number_beyond_any_table_is_400_with_a_message(
    client, login, officer, forum, index
):
    login(officer)
    answer = post_form(
        client,
        f"/intake/{forum.id}",
        {f"rows-{index}-title": "Late pay", f"rows-{index}-description": "Four months."},
    )
    assert answer.status_code == 400
    assert "names a row that does not exist" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/agencies/new", {"code": "X1", "name_en": "X", "response_days": "9" * 5000}),
        ("/admin/agencies/new", {"code": "X2", "name_en": "X", "response_days": "²"}),
        ("/admin/categories/other", {"label_en": "X", "position": "9" * 5000}),
    ],
)
def test_admin_numbers_beyond_int_are_a_form_message(client, login, admin, url, data):
    login(admin)
    answer = post_form(client, url, data)
    assert answer.status_code == 422
    assert "Must be a whole number from" in answer.get_data(as_text=True)
