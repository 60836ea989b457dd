"""Report downloads (CSV, XLSX: labelled, scoped, bounded, formula-safe) and the forum brief."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.services.reports_scenario import build_referrals
from tests.web.conftest import IsolatedClient, post_login
from tracker.extensions import db
from tracker.models import Forum
from tracker.services import exports
from tracker.services.transitions import fire_trigger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIL_TITLES = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3")


def client_for(app, user):
    """A logged-in client whose requests each get their own app context."""
    app.test_client_class = IsolatedClient
    client = app.test_client()
    post_login(client, user.email)
    return client


def csv_rows(answer) -> list[list[str]]:
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))


def xlsx_rows(answer) -> list[tuple]:
    assert answer.status_code == 200 and answer.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(answer.data)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


@pytest.fixture
def scenario(officer, agency, other_agency, organisation, other_organisation):
    """Five referred cases (tests/services/reports_scenario.py): A–D of the union, E not."""
    return build_referrals(officer, agency, other_agency, organisation, other_organisation)


def test_csv_and_xlsx_of_counts_by_one_and_two_dimensions(app, scenario, officer):
    client = client_for(app, officer)
    answer = client.get("/reports/export.csv?by=category")
    assert answer.headers["Content-Disposition"] == "attachment; filename=report-category.csv"
    assert csv_rows(answer) == [
        ["category", "category_label", "count"],
        ["contributions", "Contribution registration & payment", "3"],
        ["healthcare", "Healthcare service quality", "2"],
    ]
    crossed = xlsx_rows(client.get("/reports/export.xlsx?by=state,province"))
    assert crossed[0] == ("state", "state_label", "province", "province_label", "count")
    assert ("referred", "Referred", None, "Not stated", 3) in crossed
    for by in ("colour", "state,state", "", "performance,state"):
        assert client.get(f"/reports/export.csv?by={by}").status_code == 422, by
    assert client.get("/reports/export.pdf?by=state").status_code == 404


def test_performance_and_ageing_downloads_are_scoped(app, scenario, officer, agency_user):
    staff = csv_rows(client_for(app, officer).get("/reports/export.csv?by=performance"))
    assert staff[0][:3] == ["agency_code", "agency_name", "referrals"]
    assert [row[0] for row in staff[1:]] == ["MOH", "NSSF"]
    nssf = xlsx_rows(client_for(app, agency_user).get("/reports/export.xlsx?by=performance"))
    assert [row[:6] for row in nssf[1:]] == [("NSSF", "National Social Security Fund", 4, 2, 1, 2)]
    ageing = csv_rows(client_for(app, agency_user).get("/reports/export.csv?by=ageing"))
    assert ageing[0] == [
        "working_days_since_logged", "open_cases", "logged", "analysed", "referred", "responded",
        "on_hold", "answered",
    ]  # fmt: skip
    assert ageing[-1] == ["21+", "4", "0", "0", "2", "2", "0", "0"]  # NSSF's four cases, all old


def test_cells_that_look_like_formulas_are_made_text(app, officer, make_case):
    for number, title in enumerate(EVIL_TITLES):
        forum = Forum(title=title, date=date(2026, 1, 10 + number))
        db.session.add(forum)
        db.session.commit()
        make_case(forum_id=forum.id)
    client = client_for(app, officer)
    labels = [row[1] for row in csv_rows(client.get("/reports/export.csv?by=forum"))[1:]]
    assert sorted(labels) == sorted(f"'{t} (2026-01-{10 + n})" for n, t in enumerate(EVIL_TITLES))
    cells = [row[1] for row in xlsx_rows(client.get("/reports/export.xlsx?by=forum"))[1:]]
    assert sorted(cells) == sorted(labels)


def test_control_characters_in_labels_do_not_break_the_workbook(app, officer, make_case):
    for number, title in enumerate(("Kampot\x0bforum\x1f", "\x01=SUM(1)")):
        forum = Forum(title=title, date=date(2026, 2, 3 + number))
        db.session.add(forum)
        db.session.commit()
        make_case(forum_id=forum.id)
    client = client_for(app, officer)
    cells = sorted(row[1] for row in xlsx_rows(client.get("/reports/export.xlsx?by=forum"))[1:])
    assert cells == ["'=SUM(1) (2026-02-04)", "Kampotforum (2026-02-03)"]


def test_downloads_in_khmer_and_bounded(app, scenario, make_user, monkeypatch):
    khmer = make_user("officer", language="km")
    rows = csv_rows(client_for(app, khmer).get("/reports/export.csv?by=state"))
    assert ["referred", "បានបញ្ជូន", "3"] in rows
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 1)
    table = exports.report_table(khmer, "state", "km")
    assert (len(table.rows), table.truncated) == (1, True)


def test_downloads_need_a_scope(app, client, scenario):
    assert client.get("/reports/export.csv?by=state").status_code == 302  # to log in
    assert client.get("/reports").status_code == 302


# --- the printable forum brief ----------------------------------------------------------------


@pytest.fixture
def forum_cases(forum, make_case, officer, agency):
    """Three concerns of the forum (one referred, one closed) and one of no forum."""
    refs = [
        make_case(forum_id=forum.id, title=f"Concern {n}", category=category).case.reference
        for n, category in enumerate(("maternity", "maternity", "healthcare"))
    ]
    fire_trigger(officer, refs[0], "analyse", {"owner_id": officer.id, "note": "n"})
    fire_trigger(officer, refs[0], "refer", {"agency_id": agency.id, "note": "n"})
    fire_trigger(officer, refs[2], "analyse", {"owner_id": officer.id, "note": "n"})
    fire_trigger(
        officer, refs[2], "close", {"outcome": "partly_resolved", "resolution": "Paid half."}
    )
    make_case(title="Elsewhere")
    return refs


def test_forum_brief_lists_and_counts_the_forums_concerns(app, forum, forum_cases, officer):
    html = client_for(app, officer).get(f"/forums/{forum.id}/brief").get_data(as_text=True)
    assert "<h1>Annual forum 2023</h1>" in html and "December 18, 2023" in html
    for ref in forum_cases:
        assert f">{ref}</a>" in html
    assert "Concern 0" in html and "Elsewhere" not in html
    assert '<td data-label="Agency">National Social Security Fund</td>' in html
    assert '<td data-label="Outcome">Partly resolved</td>' in html
    counts = html.split('id="brief-counts"', 1)[1].split("</table>", 1)[0]
    assert '<td class="total">3</td></tr></tfoot>' in counts.replace("\n", "").replace("  ", "")
    assert "Maternity &amp; pregnancy protection" in counts


def test_forum_brief_is_for_staff_in_their_language(
    app, forum, forum_cases, admin, agency_user, representative, make_user
):
    assert client_for(app, admin).get(f"/forums/{forum.id}/brief").status_code == 200
    for user in (agency_user, representative):
        assert client_for(app, user).get(f"/forums/{forum.id}/brief").status_code == 403
    khmer = client_for(app, make_user("officer", language="km"))
    assert khmer.get("/forums/999999/brief").status_code == 404
    html = khmer.get(f"/forums/{forum.id}/brief").get_data(as_text=True)
    assert "កង្វល់តាមប្រភេទ និងស្ថានភាព" in html and "បានដោះស្រាយមួយផ្នែក" in html


def test_forum_brief_shows_each_concerns_answer(app, forum, forum_cases, officer):
    fire_trigger(officer, forum_cases[0], "respond", {"response": "Registration fixed in May."})
    html = client_for(app, officer).get(f"/forums/{forum.id}/brief").get_data(as_text=True)
    answers = re.findall(r'<td data-label="Answer" class="answer-cell">([^<]*)</td>', html)
    assert answers == ["Registration fixed in May.", "—", "Paid half."]
