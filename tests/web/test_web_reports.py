"""The reports page: charts, crossing, ageing and agency performance, each within the user's
scope; and the nav entry."""

from __future__ import annotations

import html as html_text
import re

import pytest

from tests.services.reports_scenario import add_cases, build_referrals
from tests.support import counted_statements
from tests.web.conftest import IsolatedClient, post_login
from tracker.extensions import db


@pytest.fixture
def scenario(officer, agency, other_agency, organisation, other_organisation):
    """Five referred cases (tests/services/reports_scenario.py): A–D of the union, E not."""
    return build_referrals(officer, agency, other_agency, organisation, other_organisation)


def page_for(app, user, url: str = "/reports") -> str:
    """Log in with a fresh client and return a page's HTML (asserting 200)."""
    app.test_client_class = IsolatedClient  # each request in its own app context
    client = app.test_client()
    post_login(client, user.email)
    answer = client.get(url)
    assert answer.status_code == 200, answer.status_code
    return re.sub(r">\s+<", "><", answer.get_data(as_text=True))  # no layout whitespace


def bars(html: str, dimension: str) -> dict[str, int]:
    """{label: count} of one chart, read from its list items."""
    section = html.split(f'id="chart-{dimension}"', 1)[1].split("</section>", 1)[0]
    pairs = re.findall(
        r'<span class="bar-label">(?:<a href="[^"]*">)?([^<]+)(?:</a>)?.*?'
        r'<rect class="bar-fill[^"]*" x="0" y="0" width="([\d.]+)".*?'
        r'<span class="bar-count">(\d+)</span>',
        section,
        re.S,
    )
    return {html_text.unescape(label.strip()): int(count) for label, _width, count in pairs}


def test_staff_see_every_chart_the_crossing_ageing_and_performance(app, scenario, officer):
    html = page_for(app, officer)
    assert bars(html, "state") == {"Referred": 3, "Responded": 2}
    assert bars(html, "category") == {
        "Contribution registration & payment": 3,
        "Healthcare service quality": 2,
    }
    assert bars(html, "agency") == {"National Social Security Fund": 4, "Ministry of Health": 1}
    assert '<rect class="bar-fill" x="0" y="0" width="100.0"' in html  # the longest bar
    assert 'href="/cases?category=contributions"' in html  # a bar opens its cases
    assert "Category × Province" in html  # the default crossing
    assert bars(html, "ageing") == {
        "0 to 5 working days": 0,
        "6 to 10 working days": 0,
        "11 to 20 working days": 0,
        "More than 20 working days": 5,
    }
    performance = html.split('id="performance-heading"', 1)[1]
    assert re.search(
        r"National Social Security Fund</th><td>4</td><td>2</td><td>1</td><td>2</td>"
        r"<td>25%</td><td>13.5</td>",
        performance,
    )
    assert 'href="/reports/export.xlsx?by=performance"' in html
    assert 'href="/reports/export.csv?by=category,province"' in html


def test_agency_and_representative_see_their_scope_only(
    app, scenario, agency_user, representative, make_user, other_agency
):
    nssf = page_for(app, agency_user)
    assert bars(nssf, "state") == {"Referred": 2, "Responded": 2}  # A, B, C, D (D back at NSSF)
    assert "Ministry of Health</th>" not in nssf  # another agency's performance
    moh = page_for(app, make_user("agency", agency_id=other_agency.id))
    assert sum(bars(moh, "state").values()) == 2  # D and E were referred to the ministry
    assert "National Social Security Fund</th>" not in moh
    union = page_for(app, representative)
    assert sum(bars(union, "state").values()) == 4  # E belongs to another organisation
    assert re.search(r"Ministry of Health</th><td>1</td>", union)


def test_the_reader_chooses_the_crossing(app, scenario, officer):
    html = page_for(app, officer, "/reports?rows=state&columns=gender_focus")
    assert "State × Gender focus" in html
    table = html.split('id="cross-heading"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">Referred</th><td>3</td><td class="total">3</td>' in table
    for bad in ("rows=state&columns=state", "rows=colour&columns=state", "rows="):
        assert "Category × Province" in page_for(app, officer, f"/reports?{bad}")


def test_reports_in_khmer(app, scenario, make_user):
    html = page_for(app, make_user("officer", language="km"))
    assert "ការចុះឈ្មោះ និងការបង់ភាគទាន" in bars(html, "category")
    assert "បានបញ្ជូន" in bars(html, "state")
    assert "បេឡាជាតិ" in bars(html, "agency")
    assert "Contribution registration" not in html


def test_nav_has_reports_for_everyone_with_a_scope(app, officer, agency_user, representative):
    for user in (officer, agency_user, representative):
        assert 'href="/reports"' in page_for(app, user, "/")


def test_page_statements_do_not_grow_with_cases(app, client, make_case, officer, agency):
    post_login(client, officer.email)
    counts = []
    for count, start in ((3, 0), (27, 3)):
        add_cases(make_case, officer, agency, count, start)
        db.session.expire_all()
        with counted_statements() as statements:
            assert client.get("/reports").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
