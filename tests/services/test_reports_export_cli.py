"""``flask reports export``: the same report tables, written to a file, as an admin or --as."""

from __future__ import annotations

import csv

from openpyxl import load_workbook


def test_export_as_the_first_admin_to_csv_and_xlsx(runner, admin, make_case, tmp_path):
    make_case(category="maternity", province="KH-12")
    make_case(category="maternity", province="KH-1")
    out = tmp_path / "by-category.csv"
    result = runner.invoke(args=["reports", "export", "--by", "category", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert admin.email in result.output
    with out.open(encoding="utf-8-sig", newline="") as source:
        assert list(csv.reader(source)) == [
            ["category", "category_label", "count"],
            ["maternity", "Maternity & pregnancy protection", "2"],
        ]
    xlsx = tmp_path / "crossed.xlsx"
    args = ["reports", "export", "--by", "category,province", "--format", "xlsx"]
    result = runner.invoke(args=[*args, "--out", str(xlsx), "--language", "km"])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert ("maternity", "ការការពារមាតុភាព និងផ្ទៃពោះ", "KH-12", "ភ្នំពេញ", 1) in rows


def test_export_as_a_scoped_user_and_bad_input(runner, admin, make_case, representative, tmp_path):
    make_case()
    make_case(organisation_id=representative.organisation_id)
    out = tmp_path / "mine.csv"
    args = ["reports", "export", "--by", "state", "--out", str(out)]
    result = runner.invoke(args=[*args, "--as", representative.email])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8-sig").splitlines()[1] == "logged,Logged,1"
    bad = tmp_path / "bad.csv"
    result = runner.invoke(args=["reports", "export", "--by", "colour", "--out", str(bad)])
    assert result.exit_code == 1 and "Unknown dimension" in result.output and not bad.exists()
    result = runner.invoke(args=[*args, "--as", "nobody@example.org"])
    assert result.exit_code != 0 and "no active user" in result.output
