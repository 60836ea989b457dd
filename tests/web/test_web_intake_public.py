"""Forum intake (many concerns at once) and the public status page."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import Case, Forum
from tracker.services.transitions import fire_trigger


def count_cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def row(index: int, **fields) -> dict[str, str]:
    return {f"rows-{index}-{name}": value for name, value in fields.items()}


def test_officer_creates_a_forum_then_logs_many_concerns(client, login, officer):
    login(officer)
    bad = post_form(client, "/intake", {"title": "", "kind": "regional", "date": "2024-13-01"})
    assert bad.status_code == 422
    assert 'id="title-error"' in bad.get_data(as_text=True)
    created = post_form(
        client,
        "/intake",
        {"title": "Kampot forum", "kind": "regional", "date": "2024-06-12", "province": "KH-7"},
    )
    assert created.status_code == 302
    forum = db.session.scalar(select(Forum).where(Forum.title == "Kampot forum"))
    url = f"/intake/{forum.id}"
    assert created.headers["Location"] == url
    data = {
        **row(
            0,
            title="Late maternity pay",
            description="d1",
            category="maternity",
            gender_focus="women",
            people_affected="12",
        ),
        **row(
            2,
            title="No card at clinic",
            description="d2",
            category="healthcare",
            gender_focus="all",
        ),
    }
    response = post_form(client, url, data)
    assert response.status_code == 200
    # The answer is the page of slips, one per new case, with its access code.
    slips = response.get_data(as_text=True)
    assert len(re.findall(r'class="access-code"', slips)) == 2
    assert response.headers["Cache-Control"] == "no-store"
    cases = db.session.scalars(select(Case).where(Case.forum_id == forum.id)).all()
    assert {c.title for c in cases} == {"Late maternity pay", "No card at clinic"}
    assert {c.province for c in cases} == {"KH-7"}  # the forum's province
    assert all(c.reference in slips for c in cases)
    page = client.get(url).get_data(as_text=True)
    assert "More rows" in page and "rows=10" in page
    assert '<option selected value="KH-7">' in page


def test_one_bad_row_logs_nothing_and_is_marked(client, login, officer, forum):
    login(officer)
    before = count_cases()
    data = {
        **row(0, title="Fine", description="d", category="maternity", gender_focus="all"),
        **row(1, title="No category", description="d", category="", gender_focus="all"),
    }
    response = post_form(client, f"/intake/{forum.id}", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="rows-1-category-error"' in html and 'id="rows-0-category-error"' not in html
    assert count_cases() == before


def test_intake_is_for_staff(client, login, representative, forum):
    login(representative)
    assert client.get("/intake").status_code == 403
    assert client.get(f"/intake/{forum.id}").status_code == 403


def test_public_status_shows_the_right_case_and_nothing_for_a_wrong_code(
    client, officer, make_case
):
    logged = make_case()
    reference = logged.case.reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "internal"})
    response = post_form(
        client,
        "/status",
        {"reference": reference.lower(), "access_code": logged.access_code.lower()},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert reference in html and "Analysed" in html and "Logged" in html
    assert "Sok Dara" not in html and "dara@example.org" not in html and "internal" not in html
    wrong = post_form(client, "/status", {"reference": reference, "access_code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 404
    wrong_html = wrong.get_data(as_text=True)
    assert "No case matches" in wrong_html and "Contributions not registered" not in wrong_html
    assert (
        post_form(
            client, "/status", {"reference": "GRV-1999-00001", "access_code": logged.access_code}
        ).status_code
        == 404
    )


def test_public_status_in_khmer(client, make_case):
    logged = make_case()
    post_form(client, "/language", {"language": "km"})
    html = post_form(
        client, "/status", {"reference": logged.case.reference, "access_code": logged.access_code}
    ).get_data(as_text=True)
    assert "បានកត់ត្រា" in html and 'lang="km"' in html
