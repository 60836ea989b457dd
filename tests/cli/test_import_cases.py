"""Importing a forum's concerns from CSV/XLSX: all rows or none, with a row-by-row report."""

from __future__ import annotations

import csv
import unicodedata

from openpyxl import Workbook
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Case, Event

HEADER = ["title", "description", "category", "province", "gender_focus", "people_affected"]
GOOD_ROWS = [
    ["Registration delays", "Workers not registered", "contributions", "KH-12", "all", "120"],
    ["Maternity pay late", "Paid months late", "maternity", "KH-5", "women", "40"],
]


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def case_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def test_csv_import_logs_every_row_for_the_forum(runner, admin, forum, tmp_path):
    path = write_csv(tmp_path / "forum.csv", [HEADER, *GOOD_ROWS])
    result = runner.invoke(args=["import-cases", str(path), "--forum", str(forum.id)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 cases" in result.output
    cases = db.session.scalars(select(Case).order_by(Case.id)).all()
    assert [(c.title, c.forum_id, c.people_affected) for c in cases] == [
        ("Registration delays", forum.id, 120),
        ("Maternity pay late", forum.id, 40),
    ]
    assert all(c.created_by_id == admin.id for c in cases)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 2


def test_one_bad_row_imports_nothing_and_names_each_bad_row(runner, admin, forum, tmp_path):
    rows = [
        HEADER,
        GOOD_ROWS[0],
        ["", "no title", "maternity", "KH-99", "all", "5"],
        GOOD_ROWS[1],
        ["Bad group", "x", "nonsense", "KH-1", "everyone", "many"],
    ]
    path = write_csv(tmp_path / "forum.csv", rows)
    result = runner.invoke(args=["import-cases", str(path), "--forum", str(forum.id)])
    assert result.exit_code == 1
    assert "2 of 4 rows have errors; nothing was logged." in result.output
    report = dict(
        line.strip().split(": ", 1)
        for line in result.output.splitlines()
        if line.startswith("  row ")
    )
    # Rows are named by their line in the file (the header is line 1).
    assert set(report) == {"row 3", "row 5"}
    assert "title: This field is required." in report["row 3"]
    assert "province: Must be one of" in report["row 3"]
    assert "category: Unknown category." in report["row 5"]
    assert "gender_focus:" in report["row 5"] and "people_affected:" in report["row 5"]
    assert "row 2:" not in result.output and "row 4:" not in result.output
    assert case_count() == 0


def test_xlsx_with_khmer_headers_and_labels(runner, admin, forum, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["ចំណងជើង", "ការពិពណ៌នា", "ប្រភេទ", "ខេត្ត", "ការផ្តោតលើយេនឌ័រ", "ចំនួនអ្នករងផលប៉ះពាល់", "Priority"]
    )
    sheet.append(
        [
            "ព័ត៌មានជាភាសាជនជាតិដើម",
            "សម្ភារៈ IEC",
            "ការទទួលបានព័ត៌មាន និងភាសា",
            "រតនគិរី",
            "ស្ត្រី",
            350,
            "Urgent",
        ]
    )
    path = tmp_path / "forum.xlsx"
    workbook.save(path)
    result = runner.invoke(args=["import-cases", str(path), "--forum", str(forum.id)])
    assert result.exit_code == 0, result.output
    case = db.session.scalar(select(Case))
    assert (
        case.category,
        case.province,
        case.gender_focus,
        case.people_affected,
        case.priority,
    ) == ("information_access", "KH-16", "women", 350, "urgent")


def test_unknown_column_and_unknown_forum_are_refused(runner, admin, forum, tmp_path):
    path = write_csv(tmp_path / "forum.csv", [[*HEADER, "salary"], [*GOOD_ROWS[0], "100"]])
    result = runner.invoke(args=["import-cases", str(path), "--forum", str(forum.id)])
    assert result.exit_code == 1 and "Unknown columns: salary" in result.output
    path = write_csv(tmp_path / "ok.csv", [HEADER, GOOD_ROWS[0]])
    result = runner.invoke(args=["import-cases", str(path), "--forum", "9999"])
    assert result.exit_code == 1 and "No forum 9999." in result.output
    assert case_count() == 0


def test_a_file_that_is_not_utf8_or_not_a_workbook_is_refused_clearly(
    runner, admin, forum, tmp_path
):
    legacy = tmp_path / "excel-ansi.csv"
    legacy.write_bytes("title,description,category\nCafé closed,Préavis,other\n".encode("cp1252"))
    result = runner.invoke(args=["import-cases", str(legacy), "--forum", str(forum.id)])
    assert result.exit_code == 1 and "UTF-8" in result.output, result.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a zip archive")
    result = runner.invoke(args=["import-cases", str(broken), "--forum", str(forum.id)])
    assert result.exit_code == 1 and "not a readable .xlsx" in result.output, result.output
    assert case_count() == 0


def test_labels_match_whatever_their_unicode_normalisation_and_zero_width_spaces(
    runner, admin, forum, tmp_path
):
    from tracker.services.admin import update_category

    update_category(admin, "other", {"label_en": "Sécurité sociale", "label_km": "ផ្សេងៗ"})
    decomposed = unicodedata.normalize("NFD", "Sécurité sociale")
    # Khmer text typed in Word often carries zero-width spaces between words.
    access = "ការទទួលបានព័ត៌មាន\u200b និងភាសា"
    rows = [
        ["ចំណងជើង\u200b", "description", "category"],
        ["One", "x", decomposed],
        ["Two", "y", access],
    ]
    path = write_csv(tmp_path / "forum.csv", rows)
    result = runner.invoke(args=["import-cases", str(path), "--forum", str(forum.id)])
    assert result.exit_code == 0, result.output
    categories = db.session.scalars(select(Case.category).order_by(Case.id)).all()
    assert categories == ["other", "information_access"]


def test_odd_numbers_and_control_characters_are_row_errors_not_tracebacks(
    runner, admin, forum, tmp_path
):
    rows = [
        HEADER,
        ["Huge count", "x", "other", "KH-1", "all", "9" * 5000],
        ["Superscript", "x", "other", "KH-1", "all", "²"],
        ["Escape", "Paid\x1b[2J late", "other", "KH-1", "all", "3"],
    ]
    path = write_csv(tmp_path / "forum.csv", rows)
    result = runner.invoke(args=["import-cases", str(path), "--forum", str(forum.id)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a report, not a traceback
    assert "3 of 3 rows have errors; nothing was logged." in result.output
    assert "people_affected: Must be a whole number" in result.output
    assert "description: Must not contain control characters." in result.output
    assert case_count() == 0


def test_counts_in_khmer_digits_are_read(runner, admin, forum, tmp_path):
    path = write_csv(tmp_path / "forum.csv", [HEADER, [*GOOD_ROWS[0][:5], "១២០"]])
    result = runner.invoke(args=["import-cases", str(path), "--forum", str(forum.id)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Case.people_affected)) == 120


def test_the_channel_column_takes_codes_and_labels(runner, admin, forum, tmp_path):
    rows = [
        [*HEADER, "raised_by_phone", "Channel"],
        [*GOOD_ROWS[0], "012 345 678", "SMS"],
        [*GOOD_ROWS[1], "", ""],
    ]
    path = write_csv(tmp_path / "forum.csv", rows)
    result = runner.invoke(args=["import-cases", str(path), "--forum", str(forum.id)])
    assert result.exit_code == 0, result.output
    channels = db.session.scalars(select(Case.channel).order_by(Case.id)).all()
    assert channels == ["sms", None]  # blank: the default rule (here: none)
