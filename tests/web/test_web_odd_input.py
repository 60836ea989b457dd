"""Odd input to the pages (huge numbers, NUL characters, framework keywords): a clear 4xx or a
page that ignores it, never a 500, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

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
