"""Read concerns from CSV or XLSX: headers and cells may be codes or English/Khmer labels."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tracker.codes import CASE_FIELD_LABELS, CODE_TABLES_BY_FIELD
from tracker.extensions import db
from tracker.models import Category
from tracker.services.errors import ValidationFailed
from tracker.services.text_checks import whole_number_text

MAX_FILE_BYTES = 10 * 1024 * 1024
# Zero-width characters (common in Khmer text typed in word processors) and the BOM.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Parse the file into case-field dicts (blank rows skipped)."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValidationFailed("The file is larger than 10 MB.", {"file": ["Too large."]})
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _csv_table(path.read_bytes())
    elif suffix in {".xlsx", ".xlsm"}:
        table = _xlsx_table(path)
    else:
        raise ValidationFailed("Use a .csv or .xlsx file.", {"file": ["Unsupported file type."]})
    return rows_from_table(table)


def rows_from_table(table: list[list[Any]]) -> list[dict[str, Any]]:
    """Map a header row and data rows onto case fields, translating labels to codes."""
    if not table:
        raise ValidationFailed("The file is empty.", {"file": ["No header row."]})
    fields = [_field_for_header(h) for h in table[0]]
    unknown = [str(h) for h, f in zip(table[0], fields, strict=True) if f is None and h]
    if unknown:
        raise ValidationFailed(
            "Unknown columns: " + ", ".join(unknown),
            {"columns": [f"Unknown: {h}" for h in unknown]},
        )
    translate = _cell_translator()
    rows = []
    for cells in table[1:]:
        if all(c in (None, "") for c in cells):
            continue
        row = {f: translate(f, c) for f, c in zip(fields, cells, strict=False) if f}
        rows.append({k: v for k, v in row.items() if v not in (None, "")})
    return rows


def _csv_table(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "The CSV file is not UTF-8 text; save it as 'CSV UTF-8'.",
            {"file": ["Not UTF-8 text."]},
        ) from None
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _xlsx_table(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise ValidationFailed(
            "The file is not a readable .xlsx workbook.", {"file": ["Not a readable workbook."]}
        ) from None
    try:
        return [list(r) for r in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _normal(text: Any) -> str:
    """Compare labels by meaning: one Unicode form, no zero-width characters, any case/spacing."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(text)))
    return " ".join(text.split()).casefold()


def _field_for_header(header: Any) -> str | None:
    wanted = _normal(header or "")
    for field, labels in CASE_FIELD_LABELS.items():
        if wanted in {field, *(_normal(x) for x in labels)}:
            return field
    return None


def _lookup(pairs: Iterable[tuple[str, tuple[str, str]]]) -> dict[str, str]:
    """Map each code and each label (normalised) to the code."""
    return {_normal(name): code for code, labels in pairs for name in (code, *labels)}


def _cell_translator():
    categories = _lookup(
        (c.code, (c.label_en, c.label_km)) for c in db.session.scalars(select(Category))
    )
    tables = {f: _lookup(t.items()) for f, t in CODE_TABLES_BY_FIELD.items()}
    tables["category"] = categories

    def translate(field: str, value: Any) -> Any:
        if value is None:
            return None
        if field == "people_affected":
            return _whole_number(value)
        if field in tables:
            return tables[field].get(_normal(value), str(value).strip())
        return str(value).strip()

    return translate


def _whole_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    number = whole_number_text(str(value).replace(",", ""))
    return value if number is None else number
