"""Related cases on the web: link from the case page, merge with a confirm step, and the new
concern's form suggesting similar open concerns (with and without JavaScript's fetch)."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from tests.support import csv_bytes
from tests.web.conftest import client, csrf_token, login, post_form  # noqa: F401  (fixtures)
from tracker.extensions import db
from tracker.models import Case


def stored(reference: str) -> Case:
    db.session.expire_all()
    return db.session.scalar(select(Case).where(Case.reference == reference))


def test_linking_from_the_case_page_shows_on_both(make_case, officer, login):  # noqa: F811
    browser = login(officer)
    first, second = make_case().case.reference, make_case(title="Same again").case.reference
    page = f"/cases/{first}"
    answer = browser.post(
        f"{page}/links", data={"csrf_token": csrf_token(browser, page), "reference": second}
    )
    assert answer.status_code == 302
    assert f'data-linked="{second}"' in browser.get(page).get_data(as_text=True)
    other = browser.get(f"/cases/{second}").get_data(as_text=True)
    assert f'data-linked="{first}"' in other
    assert f"Linked to {first}" in other
    wrong = browser.post(
        f"{page}/links", data={"csrf_token": csrf_token(browser, page), "reference": "GRV-1-1"}
    )
    assert wrong.status_code == 302
    assert "No such case." in browser.get(page).get_data(as_text=True)


def test_merge_asks_then_confirms(make_case, officer, login):  # noqa: F811
    browser = login(officer)
    kept = make_case(title="Maternity pay late").case.reference
    duplicate = make_case(title="Maternity pay is late").case.reference
    assert f"/cases/{duplicate}/merge" in browser.get(f"/cases/{duplicate}").get_data(as_text=True)
    ask = browser.get(f"/cases/{duplicate}/merge").get_data(as_text=True)
    assert 'name="into"' in ask
    confirm = browser.get(f"/cases/{duplicate}/merge?into={kept}")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "data-confirm-merge" in html and "Maternity pay late" in html
    assert stored(duplicate).state == "logged"  # nothing happens before the confirm
    token = csrf_token(browser, f"/cases/{duplicate}/merge?into={kept}")
    done = browser.post(
        f"/cases/{duplicate}/merge", data={"csrf_token": token, "into": kept, "confirm": "1"}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/cases/{kept}")
    assert (stored(duplicate).state, stored(duplicate).outcome) == ("closed", "duplicate")
    assert "data-merged-here" in browser.get(f"/cases/{kept}").get_data(as_text=True)
    assert f"Merged into {kept}" in browser.get(f"/cases/{duplicate}").get_data(as_text=True)


def test_merge_into_an_unknown_case_says_so_and_changes_nothing(make_case, officer, login):  # noqa: F811
    browser = login(officer)
    duplicate = make_case().case.reference
    token = csrf_token(browser, f"/cases/{duplicate}/merge")
    answer = browser.post(
        f"/cases/{duplicate}/merge",
        data={"csrf_token": token, "into": "GRV-2099-99999", "confirm": "1"},
    )
    assert answer.status_code == 422
    assert "No case GRV-2099-99999" in answer.get_data(as_text=True)
    assert stored(duplicate).state == "logged"


def test_the_new_concern_form_suggests_similar_open_concerns(make_case, officer, login):  # noqa: F811
    browser = login(officer)
    existing = make_case(title="Maternity benefit not paid by the employer").case.reference
    count = db.session.scalar(select(func.count()).select_from(Case))
    form = {"title": "Maternty benefit not payd", "description": "", "check": "1"}
    checked = post_form(browser, "/cases/new", form)
    assert checked.status_code == 200
    assert f'data-similar-item="{existing}"' in checked.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Case)) == count  # nothing logged
    fragment = browser.get("/cases/similar", query_string={"title": "Maternty benefit not payd"})
    assert f'data-similar-item="{existing}"' in fragment.get_data(as_text=True)
    none = browser.get("/cases/similar", query_string={"title": "Pension age"})
    assert "No similar open concerns" in none.get_data(as_text=True)


def test_the_new_concern_form_loads_its_similar_script_in_the_head(officer, login):  # noqa: F811
    """The script that fetches suggestions while typing is a <script> in <head>, not text
    inside <title> (where the browser neither runs it nor hides it from the tab's title)."""
    html = login(officer).get("/cases/new").get_data(as_text=True)
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<script" not in title and "similar.js" not in title
    head = html.split("</head>", 1)[0]
    assert 'src="/static/js/similar.js"' in head


def test_the_upload_preview_shows_similar_open_cases_per_row(
    make_case,
    officer,
    forum,
    login,  # noqa: F811
):
    browser = login(officer)
    existing = make_case(title="Maternity benefit not paid by the employer").case.reference
    rows = [
        ["Pension age question", "Civil servants ask.", "other", "all", "A"],
        ["Maternty benefit not payd by employer", "Twelve workers.", "maternity", "all", "B"],
    ]
    data = {
        "csrf_token": csrf_token(browser, f"/intake/{forum.id}"),
        "file": (io.BytesIO(csv_bytes(rows)), "forum.csv"),
    }
    answer = browser.post(
        f"/intake/{forum.id}/upload", data=data, content_type="multipart/form-data"
    )
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert 'data-similar-line="3"' in html and 'data-similar-line="2"' not in html
    assert f"/cases/{existing}" in html


def test_add_me_to_joins_the_similar_case_instead_of_logging_a_new_one(
    make_case,
    officer,
    login,  # noqa: F811
):
    browser = login(officer)
    existing = make_case(title="Maternity benefit not paid by the employer").case.reference
    count = db.session.scalar(select(func.count()).select_from(Case))
    checked = post_form(browser, "/cases/new", {"title": "Maternty benefit not payd", "check": "1"})
    assert f"/cases/{existing}/join" in checked.get_data(as_text=True)
    form = {"title": "Maternty benefit not payd", "raised_by_name": "Chan Srey", "language": "km"}
    joined = post_form(browser, f"/cases/{existing}/join", form)
    assert joined.status_code == 302 and joined.headers["Location"].endswith(f"/cases/{existing}")
    page = browser.get(f"/cases/{existing}").get_data(as_text=True)
    assert f"The raiser was added to {existing}; their access code is" in page
    assert db.session.scalar(select(func.count()).select_from(Case)) == count
    assert [r.name for r in stored(existing).raisers] == ["Chan Srey"]


def test_add_me_to_keeps_the_consent_ticked_on_the_form(make_case, officer, login):  # noqa: F811
    browser = login(officer)
    existing = make_case(title="Maternity benefit not paid by the employer").case.reference
    form = {"title": "Maternty benefit", "raised_by_name": "Sok Lina", "consent_share": "y"}
    assert post_form(browser, f"/cases/{existing}/join", form).status_code == 302
    unticked = {"title": "Maternty benefit", "raised_by_name": "Keo Mony"}
    assert post_form(browser, f"/cases/{existing}/join", unticked).status_code == 302
    consent = {r.name: r.consent_share for r in stored(existing).raisers}
    assert consent == {"Sok Lina": True, "Keo Mony": False}


def test_add_me_to_from_a_representative_still_says_you(make_case, representative, login):  # noqa: F811
    browser = login(representative)
    existing = make_case(
        title="Maternity benefit not paid", organisation_id=representative.organisation_id
    ).case.reference
    form = {"title": "Maternty benefit", "raised_by_name": "Sok Lina"}
    answer = post_form(browser, f"/cases/{existing}/join", form)
    assert answer.status_code == 302
    page = browser.get(f"/cases/{existing}").get_data(as_text=True)
    assert f"You were added to {existing}; your access code is" in page
