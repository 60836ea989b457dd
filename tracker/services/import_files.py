"""Read concerns from CSV or XLSX: headers and cells may be codes or English/Khmer labels."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from tracker.codes import CASE_FIELD_LABELS, CODE_TABLES_BY_FIELD
from tracker.extensions import db
from tracker.models import Category
from tracker.services.errors import ValidationFailed
from tracker.services.text_checks import whole_number_text

MAX_FILE_BYTES = 20 * 1024 * 1024  # the default of IMPORT_MAX_BYTES
# Zero-width characters (common in Khmer text typed in word processors) and the BOM.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class ParsedFile:
    """The rows of an import file as case fields, each with its line in the file (header: 1)."""

    headers: list[str]
    fields: list[str | None]
    rows: list[dict[str, Any]]
    lines: list[int]
    samples: list[list[Any]]  # the first data rows as written, for a preview

    def column_of(self, field: str) -> str:
        """The header the file uses for a field (the field's name when it has no column)."""
        for header, name in zip(self.headers, self.fields, strict=True):
            if name == field:
                return header
        return field


class UnknownColumns(ValidationFailed):
    """The header names columns that are no case field; ``names`` lists them as written."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(
            "Unknown columns: " + ", ".join(names),
            {"columns": [f"Unknown: {name}" for name in names]},
        )
        self.names = names


def too_large(size: int, limit: int = MAX_FILE_BYTES) -> ValidationFailed:
    """The error for a file over the size limit."""
    megabytes = limit // (1024 * 1024)
    return ValidationFailed(
        f"The file is larger than {megabytes} MB; split it into smaller files.",
        {"file": [f"At most {megabytes} MB."]},
    )


def read_rows(path: Path, limit: int = MAX_FILE_BYTES) -> ParsedFile:
    """Parse a file on disk into case-field rows (blank rows skipped)."""
    size = path.stat().st_size
    if size > limit:
        raise too_large(size, limit)
    with path.open("rb") as handle:
        return read_upload(handle, path.name)


def read_upload(stream: IO[bytes], filename: str) -> ParsedFile:
    """Parse an uploaded CSV or XLSX (by its name's suffix) into case-field rows."""
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".csv":
        table = _csv_table(stream.read())
    elif suffix in {".xlsx", ".xlsm"}:
        table = _xlsx_table(stream)
    else:
        raise ValidationFailed("Use a .csv or .xlsx file.", {"file": ["Unsupported file type."]})
    return rows_from_table(table)


def rows_from_table(table: list[list[Any]]) -> ParsedFile:
    """Map a header row and data rows onto case fields, translating labels to codes."""
    if not table:
        raise ValidationFailed("The file is empty.", {"file": ["No header row."]})
    headers = ["" if h is None else str(h).strip() for h in table[0]]
    fields = [_field_for_header(h) for h in headers]
    unknown = [h for h, f in zip(headers, fields, strict=True) if f is None and h]
    if unknown:
        raise UnknownColumns(unknown)
    translate = cell_translator()
    rows, lines, samples = [], [], []
    for line, cells in enumerate(table[1:], start=2):
        if all(c in (None, "") for c in cells):
            continue
        row = {f: translate(f, c) for f, c in zip(fields, cells, strict=False) if f}
        rows.append({k: v for k, v in row.items() if v not in (None, "")})
        lines.append(line)
        if len(samples) < 5:
            samples.append(list(cells))
    return ParsedFile(headers, fields, rows, lines, samples)


def _csv_table(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "The CSV file is not UTF-8 text; save it as 'CSV UTF-8'.",
            {"file": ["Not UTF-8 text."]},
        ) from None
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _xlsx_table(path: Path | IO[bytes]) -> list[list[Any]]:
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


def normal_text(text: Any) -> str:
    """Compare labels by meaning: one Unicode form, no zero-width characters, any case/spacing."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", str(text)))
    return " ".join(text.split()).casefold()


def _field_for_header(header: Any) -> str | None:
    wanted = normal_text(header or "")
    for field, labels in CASE_FIELD_LABELS.items():
        if wanted in {field, *(normal_text(x) for x in labels)}:
            return field
    return None


def _lookup(pairs: Iterable[tuple[str, tuple[str, str]]]) -> dict[str, str]:
    """Map each code and each label (normalised) to the code."""
    return {normal_text(name): code for code, labels in pairs for name in (code, *labels)}


def cell_translator():
    """A function turning a cell (code or English/Khmer label) into the field's value."""
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
            return tables[field].get(normal_text(value), str(value).strip())
        return str(value).strip()

    return translate


def _whole_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    number = whole_number_text(str(value).replace(",", ""))
    return value if number is None else number
