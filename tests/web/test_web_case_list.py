"""The case list, its CSV export, the dashboard and new concerns."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from tests.web.conftest import post_form
from tracker.models import now_utc
from tracker.services.cases import log_case


def references(html: str) -> set[str]:
    return set(re.findall(r"GRV-\d{4}-\d{5}", html))


def test_filters_search_and_sort(client, login, officer, make_case):
    a = make_case(title="Maternity pay late", category="maternity", province="KH-2").case
    b = make_case(title="Clinic refused card", category="healthcare", gender_focus="women").case
    login(officer)
    assert references(client.get("/cases").get_data(as_text=True)) == {a.reference, b.reference}
    assert references(client.get("/cases?category=maternity").get_data(as_text=True)) == {
        a.reference
    }
    assert references(client.get("/cases?q=clinic").get_data(as_text=True)) == {b.reference}
    assert references(client.get(f"/cases?q={a.reference}").get_data(as_text=True)) == {a.reference}
    assert (
        references(client.get("/cases?gender_focus=women&province=KH-2").get_data(as_text=True))
        == set()
    )
    assert references(client.get("/cases?overdue=yes").get_data(as_text=True)) == set()
    # Nonsense values are ignored rather than failing.
    assert client.get("/cases?agency_id=abc&page=x&sort=DROP").status_code == 200


def test_pagination(client, login, officer, make_case):
    for number in range(27):
        make_case(title=f"Concern {number}")
    login(officer)
    first = client.get("/cases").get_data(as_text=True)
    second = client.get("/cases?page=2").get_data(as_text=True)
    assert len(references(first)) == 25 and len(references(second)) == 2
    assert "Page 1 of 2" in first and "page=2" in first


def test_representative_lists_only_their_organisation(
    client, login, representative, other_organisation, make_case
):
    own = make_case(organisation_id=representative.organisation_id).case
    other = make_case(organisation_id=other_organisation.id).case
    login(representative)
    listing = client.get("/cases").get_data(as_text=True)
    assert references(listing) == {own.reference}
    assert ">1<" in listing  # the count is scoped too
    assert client.get(f"/cases/{other.reference}").status_code == 404
    exported = client.get("/cases/export.csv").get_data().decode("utf-8-sig")
    assert own.reference in exported and other.reference not in exported
    assert "Raised by (name)" not in exported.splitlines()[0]
    assert "Sok Dara" not in exported


def test_csv_export_follows_the_filters_and_defuses_formulas(client, login, officer, make_case):
    make_case(title='=HYPERLINK("http://evil")', category="maternity")
    make_case(title="Other", category="healthcare")
    login(officer)
    response = client.get("/cases/export.csv?category=maternity")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["Title"].startswith("'=")
    assert rows[0]["Raised by (name)"] == "Sok Dara"  # staff see personal data


def test_dashboard_groups(client, login, officer, make_case):
    # make_case cannot pass a clock (it puts `now` into the fields), so log directly.
    fields = {"title": "Old one", "description": "d", "category": "other"}
    overdue = log_case(officer, fields, now=now_utc() - timedelta(days=30)).case
    fresh = make_case(title="New one").case
    login(officer)
    html = client.get("/").get_data(as_text=True)
    overdue_section = html.split('id="overdue-heading"')[1].split("</section>")[0]
    assert overdue.reference in overdue_section and fresh.reference not in overdue_section
    assert "Overdue by" in overdue_section
    assert re.search(r'class="stat-number">2<', html)  # two logged


def test_representative_raises_a_concern_and_gets_the_code_once(client, login, representative):
    login(representative)
    form = client.get("/cases/new").get_data(as_text=True)
    assert 'name="organisation_id"' not in form
    bad = post_form(client, "/cases/new", {"title": "", "description": "", "category": ""})
    assert bad.status_code == 422
    assert 'id="title-error"' in bad.get_data(as_text=True)
    data = {
        "title": "No maternity pay",
        "description": "Three workers unpaid.",
        "category": "maternity",
        "gender_focus": "women",
        "priority": "normal",
        "language": "en",
        "people_affected": "3",
    }
    response = post_form(client, "/cases/new", data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'class="access-code">[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}<', page)
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="access-code"' not in again
    assert "No maternity pay" in client.get("/cases").get_data(as_text=True)


def test_people_affected_must_be_a_number(client, login, officer):
    login(officer)
    data = {
        "title": "t",
        "description": "d",
        "category": "other",
        "gender_focus": "all",
        "priority": "normal",
        "language": "en",
        "people_affected": "many",
    }
    response = post_form(client, "/cases/new", data)
    assert response.status_code == 422
    assert "Must be a whole number" in response.get_data(as_text=True)
