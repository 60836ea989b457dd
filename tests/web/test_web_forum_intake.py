"""Forum intake on the web: the form never drops a row; the spreadsheet upload previews,
reports bad rows by line and column, and imports; templates download."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.support import concern_rows, csv_bytes
from tests.web.conftest import csrf_token, post_form
from tracker.extensions import db
from tracker.models import Case, Event


def count_cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def rows_form(count: int) -> dict[str, str]:
    data = {}
    for index, (title, description, category, gender, name) in enumerate(concern_rows(count)):
        data |= {
            f"rows-{index}-title": title,
            f"rows-{index}-description": description,
            f"rows-{index}-category": category,
            f"rows-{index}-gender_focus": gender,
            f"rows-{index}-raised_by_name": name,
        }
    return data


def test_the_intake_form_logs_all_120_rows(client, login, officer, forum):
    login(officer)
    response = post_form(client, f"/intake/{forum.id}", rows_form(120))
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    assert count_cases() == 120
    assert "120 concerns logged as cases." in response.get_data(as_text=True)
    assert len(re.findall(r'class="access-code"', response.get_data(as_text=True))) == 120


def test_the_intake_form_refuses_more_rows_than_it_takes_and_logs_none(
    client, login, officer, forum
):
    login(officer)
    response = post_form(client, f"/intake/{forum.id}", rows_form(1001))
    assert response.status_code == 422
    assert "At most 1000 rows at a time" in response.get_data(as_text=True)
    assert count_cases() == 0


def test_the_same_form_sent_twice_logs_once(client, login, officer, forum):
    login(officer)
    post_form(client, f"/intake/{forum.id}", rows_form(3))
    again = post_form(client, f"/intake/{forum.id}", rows_form(3))
    assert again.status_code == 302
    assert count_cases() == 3
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "3 concerns were logged before and were not logged again." in page


def test_a_new_forum_is_regional_by_default(client, login, officer):
    login(officer)
    page = client.get("/intake").get_data(as_text=True)
    assert '<option selected value="regional">' in page


def upload(client, forum_id: int, data: bytes, name: str = "forum.csv"):
    return client.post(
        f"/intake/{forum_id}/upload",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_upload_reports_each_bad_row_by_line_and_column_and_logs_nothing(
    client, login, officer, forum
):
    login(officer)
    rows = concern_rows(500)
    rows[41][2] = "nonsense"  # line 43
    response = upload(client, forum.id, csv_bytes(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    report = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    assert report == [("43", "category", "Unknown category.")]
    assert count_cases() == 0


def test_upload_report_in_khmer(client, login, make_user, forum):
    login(make_user("officer", language="km"))
    rows = concern_rows(2)
    rows[1][0] = ""
    html = upload(client, forum.id, csv_bytes(rows)).get_data(as_text=True)
    report = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    assert report and report[0][0] == "3" and report[0][1] == "title"
    assert "This field is required." not in report[0][2]


def test_upload_previews_then_imports_and_prints_slips(client, login, officer, forum):
    login(officer)
    response = upload(client, forum.id, csv_bytes(concern_rows(30)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "30 rows, 30 new, 0 logged before" in html
    assert "→ Title" in html and "→ Raised by" in html
    assert "<td>Concern 4</td>" in html and "<td>Concern 5</td>" not in html  # 5 rows shown
    assert count_cases() == 0  # nothing yet
    action = re.search(r'action="(/intake/\d+/upload/\w+)"', html).group(1)
    done = client.post(action, data={"csrf_token": csrf_token(client)})
    assert done.status_code == 200
    assert count_cases() == 30
    assert len(re.findall(r'class="access-code"', done.get_data(as_text=True))) == 30
    # The stored upload is gone once imported.
    assert client.post(action, data={"csrf_token": csrf_token(client)}).status_code == 404


def test_upload_streams_progress_for_the_page(client, login, officer, forum):
    login(officer)
    first = upload(client, forum.id, csv_bytes(concern_rows(1200)))
    action = re.search(r'action="(/intake/\d+/upload/\w+)"', first.get_data(as_text=True))
    response = client.post(
        action.group(1),
        data={"csrf_token": csrf_token(client)},
        headers={"Accept": "application/x-ndjson"},
    )
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [line["done"] for line in lines] == [0, 500, 1000, 1200, 1200]
    final = lines[-1]
    assert (final["imported"], final["duplicates"]) == (1200, 0)
    assert len(final["references"].split(",")) == len(final["codes"].split(",")) == 1200
    assert count_cases() == 1200
    assert db.session.scalar(select(func.count()).select_from(Event)) == 1200


def test_an_upload_over_the_limit_is_refused_clearly(client, login, officer, forum, app):
    login(officer)
    app.config["IMPORT_MAX_BYTES"] = 20_000
    response = upload(client, forum.id, csv_bytes(concern_rows(500)))
    assert response.status_code == 413
    assert "larger than" in response.get_data(as_text=True)
    assert count_cases() == 0


def test_templates_have_english_and_khmer_headers(client, login, officer):
    login(officer)
    csv_en = client.get("/intake/template.csv").get_data().decode("utf-8-sig")
    assert csv_en.splitlines()[0].startswith("Title,Description,Category")
    csv_km = client.get("/intake/template.csv?language=km").get_data().decode("utf-8-sig")
    assert csv_km.splitlines()[0].startswith("ចំណងជើង,ការពិពណ៌នា")
    xlsx = client.get("/intake/template.xlsx?language=km")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert next(sheet.iter_rows(values_only=True))[:2] == ("ចំណងជើង", "ការពិពណ៌នា")


def test_a_file_logged_before_offers_nothing_to_import(client, login, officer, forum, app):
    login(officer)
    data = csv_bytes(concern_rows(3))
    first = upload(client, forum.id, data).get_data(as_text=True)
    action = re.search(r'action="(/intake/\d+/upload/\w+)"', first).group(1)
    client.post(action, data={"csrf_token": csrf_token(client)})
    assert count_cases() == 3

    again = upload(client, forum.id, data)
    html = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "3 rows, 0 new, 3 logged before" in html
    assert "there is nothing new to log" in html
    assert "data-import-form" not in html and "Log 0 concerns" not in html
    assert not re.search(r'action="/intake/\d+/upload/\w+"', html)
    folder = Path(app.config.get("IMPORT_UPLOAD_FOLDER") or Path(app.instance_path) / "uploads")
    assert not list(folder.glob(f"{officer.id}-*"))  # the file is not kept for an import
    assert count_cases() == 3


def test_whole_file_problems_are_said_in_khmer(client, login, make_user, forum, app):
    login(make_user("officer", language="km"))
    unknown = upload(client, forum.id, b"title,description,category,salary\nA,B,other,9\n")
    assert unknown.status_code == 422
    html = unknown.get_data(as_text=True)
    assert "ជួរឈរដែលមិនស្គាល់៖ salary" in html and "Unknown columns" not in html
    header_only = upload(client, forum.id, b"title,description,category\n")
    assert header_only.status_code == 422
    assert "គ្មានកង្វល់ណាមួយត្រូវបានផ្តល់ឱ្យទេ។" in header_only.get_data(as_text=True)
    app.config["IMPORT_MAX_ROWS"] = 4
    too_many = upload(client, forum.id, csv_bytes(concern_rows(5)))
    assert too_many.status_code == 422
    html = too_many.get_data(as_text=True)
    assert "ឯកសារនេះមាន 5 ជួរ" in html and "យ៉ាងច្រើនបំផុត 4 ជួរ" in html
    assert "Too many rows" not in html
    assert count_cases() == 0
