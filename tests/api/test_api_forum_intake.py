"""Spreadsheet imports through the API: all new rows or none, duplicates counted, not logged."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from tests.support import IMPORT_HEADER, concern_rows, csv_bytes
from tracker.extensions import db
from tracker.models import Case, Event


def upload(api, forum_id: int, data: bytes, name: str = "concerns.csv"):
    """POST the file as the multipart field ``file``."""
    return api.post(
        f"/api/v1/forums/{forum_id}/imports",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def cases_logged() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def test_bad_row_then_corrected_then_resent_then_half_new(api_as, officer, forum):
    api = api_as(officer)
    rows = concern_rows(500)
    rows[122][2] = "no-such-category"  # line 124 of the file (header = line 1)
    refused = upload(api, forum.id, csv_bytes(rows))
    assert refused.status_code == 422, refused.get_data(as_text=True)
    assert refused.mimetype == "application/problem+json"
    assert list(refused.json["errors"]) == ["row 124"]
    assert refused.json["errors"]["row 124"] == ["category: Unknown category."]
    assert cases_logged() == 0

    good = concern_rows(500)
    first = upload(api, forum.id, csv_bytes(good))
    assert first.status_code == 201, first.get_data(as_text=True)
    assert (first.json["imported"], first.json["duplicates"]) == (500, 0)
    assert len(set(first.json["references"])) == 500
    assert set(first.json["access_codes"]) == set(first.json["references"])
    assert cases_logged() == 500

    again = upload(api, forum.id, csv_bytes(good))
    assert again.status_code == 201
    assert (again.json["imported"], again.json["duplicates"], again.json["references"]) == (
        0,
        500,
        [],
    )
    assert cases_logged() == 500

    mixed = upload(api, forum.id, csv_bytes(good[250:] + concern_rows(250, start=500)))
    assert (mixed.json["imported"], mixed.json["duplicates"]) == (250, 250)
    assert cases_logged() == 750
    titles = db.session.scalars(select(Case.title).where(Case.title == "Concern 749")).all()
    assert titles == ["Concern 749"]


def test_rows_take_the_forum_province_unless_they_say_otherwise(api_as, officer, forum):
    rows = [*concern_rows(1), ["Own province", "In Kampot", "maternity", "women", "Ly"]]
    header = [*IMPORT_HEADER, "province"]
    rows[0].append("")
    rows[1].append("Kampot")
    response = upload(api_as(officer), forum.id, csv_bytes(rows, header))
    assert response.status_code == 201, response.get_data(as_text=True)
    provinces = db.session.scalars(select(Case.province).order_by(Case.id)).all()
    assert provinces == [forum.province, "KH-7"]


def test_a_row_twice_in_one_file_is_logged_once(api_as, officer, forum):
    rows = concern_rows(3)
    # The same concern typed again with other spacing and case is still the same concern.
    rows.append(
        [" CONCERN 1 ", "Workers at factory 1 are  not registered.", "other", "men", "raiser 1"]
    )
    response = upload(api_as(officer), forum.id, csv_bytes(rows))
    assert (response.json["imported"], response.json["duplicates"]) == (3, 1)


def test_the_same_row_at_another_forum_is_not_a_duplicate(api_as, officer, forum, admin):
    from tracker.services.admin import create_forum

    other = create_forum(
        admin, {"title": "Regional forum", "kind": "regional", "date": "2026-02-02"}
    )
    api = api_as(officer)
    assert upload(api, forum.id, csv_bytes(concern_rows(2))).json["imported"] == 2
    assert upload(api, other.id, csv_bytes(concern_rows(2))).json["imported"] == 2


def test_xlsx_with_khmer_headers_imports(api_as, officer, forum):
    workbook = Workbook()
    workbook.active.append(["ចំណងជើង", "ការពិពណ៌នា", "ប្រភេទ"])
    workbook.active.append(["ព័ត៌មាន", "សម្ភារៈ", "ការទទួលបានព័ត៌មាន និងភាសា"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(api_as(officer), forum.id, buffer.getvalue(), "forum.xlsx")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert db.session.scalar(select(Case.category)) == "information_access"


def test_refusals_log_nothing(api_as, officer, representative, forum, app):
    api = api_as(officer)
    assert upload(api, forum.id, b"hello", "notes.txt").status_code == 422
    assert upload(api, forum.id, csv_bytes([], ["salary"])).status_code == 422
    assert upload(api, 999_999, csv_bytes(concern_rows(1))).status_code == 404
    assert upload(api_as(representative), forum.id, csv_bytes(concern_rows(1))).status_code == 403
    missing = api.post(
        f"/api/v1/forums/{forum.id}/imports", data={}, content_type="multipart/form-data"
    )
    assert missing.status_code == 422 and "file" in missing.json["errors"]
    app.config["IMPORT_MAX_ROWS"] = 10
    too_many = upload(api, forum.id, csv_bytes(concern_rows(11)))
    assert too_many.status_code == 422 and "at most 10" in too_many.json["detail"]
    assert cases_logged() == 0
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_file_over_the_size_limit_is_refused_before_anything_is_logged(
    api_as, officer, forum, app
):
    app.config["IMPORT_MAX_BYTES"] = 50_000
    big = csv_bytes(concern_rows(1000))
    assert len(big) > 50_000
    response = upload(api_as(officer), forum.id, big)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert "larger than" in response.json["detail"]
    assert cases_logged() == 0
    # A file within the limit but larger than the API's JSON limit is fine.
    app.config["IMPORT_MAX_BYTES"] = 2 * 1024 * 1024
    assert upload(api_as(officer), forum.id, big).status_code == 201
