"""The case export for people: labels in the reader's language with the codes beside them,
local times, a UTF-8 BOM for CSV, and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import load_workbook

from tracker.extensions import db
from tracker.models import Case


def khmer_login(client, login, make_user):
    user = make_user("officer", language="km")
    login(user)
    return user


def test_the_csv_opens_with_its_bom_and_khmer_labels_intact(client, login, make_user, make_case):
    """Python's csv module (as Excel) reads Khmer headers and labels, the codes alongside."""
    reference = make_case(category="maternity", province="KH-12", gender_focus="women").case
    khmer_login(client, login, make_user)
    response = client.get("/cases/export.csv")
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the UTF-8 BOM
    assert "charset=utf-8" in response.headers["Content-Type"]
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[0] == "លេខយោង"  # "Reference", no BOM glued to it
    assert row["លេខយោង"] == reference.reference
    assert row["រាជធានី/ខេត្ត"] == "ភ្នំពេញ"  # Phnom Penh, as a Khmer reader says it
    assert row["province"] == "KH-12" and row["category"] == "maternity"
    assert row["reference"] == reference.reference
    assert row["gender_focus"] == "women" and row["state"] == "logged"
    assert row["state"] != row["ស្ថានភាព"]


def test_times_are_local_and_the_codes_keep_utc(client, login, officer, make_case):
    """Logged at 03:00 UTC shows 10:00 in Phnom Penh; the code column keeps the UTC instant."""
    case = make_case().case
    db.session.execute(
        db.update(Case)
        .where(Case.id == case.id)
        .values(created_at=datetime.fromisoformat("2026-12-01T03:00:00+00:00"))
    )
    db.session.commit()
    login(officer)
    raw = client.get("/cases/export.csv").get_data().decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(raw))
    assert row["Logged on"] == "2026-12-01 10:00"
    assert row["created_at"] == "2026-12-01T03:00:00+00:00"
    assert row["Owner"] == "" and row["owner_id"] == ""


def test_the_xlsx_opens_with_openpyxl(client, login, officer, agency, make_case):
    """Same columns in a workbook; local times are date cells, labels are Khmer for Khmer."""
    make_case(title='=cmd|" /c calc"!A1', category="healthcare")
    login(officer)
    response = client.get("/cases/export.xlsx?category=healthcare")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert row["Category"] == "Healthcare service quality" and row["category"] == "healthcare"
    assert row["Title"].startswith("'=")  # formulas defused
    assert isinstance(row["Logged on"], datetime)
    assert "Raised by (name)" in header
