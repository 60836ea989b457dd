"""Report tables for download: labelled in a language, bounded, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select

from tracker import codes
from tracker.extensions import db
from tracker.models import Agency, Category, Forum, User
from tracker.services.errors import ValidationFailed
from tracker.services.reports import (
    age_open_cases,
    agency_performance,
    parse_dimensions,
    summarise_cases,
)
from tracker.services.satisfaction import SATISFACTION_BY, satisfaction
from tracker.workflow_registry import registry

MAX_EXPORT_ROWS = 5000
# Reports that are not counts by dimensions: ``by=performance``, ``by=ageing`` and
# ``by=satisfaction`` ("Was it resolved?" per category and per agency).
PERFORMANCE, AGEING, SATISFACTION = "performance", "ageing", "satisfaction"
FORMATS = ("csv", "xlsx")
NOT_STATED = ("Not stated", "មិនបានបញ្ជាក់")
CODE_TABLES = {
    "province": codes.PROVINCES,
    "gender_focus": codes.GENDER_FOCUS,
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """A cell that a spreadsheet will not run as a formula (text starting with = + - @ gets ')."""
    text = (
        value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else str(value))
    )
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Labeller:
    """Labels of report values in one language; each reference table is read at most once."""

    def __init__(self, language: str = "en") -> None:
        self.language = "km" if language == "km" else "en"
        self._names: dict[str, dict[Any, str]] = {}

    def __call__(self, dimension: str, value: Any) -> str:
        """The label of one value of a dimension (a code, or an agency's or forum's id)."""
        if value is None:
            return self._pick(NOT_STATED)
        if dimension == "state":
            return registry().state_label(value, self.language)
        if dimension in CODE_TABLES:
            return codes.label(CODE_TABLES[dimension], value, self.language)
        if dimension not in self._names:
            self._names[dimension] = self._load(dimension)
        return self._names[dimension].get(value, str(value))

    def _pick(self, pair: tuple[str, str]) -> str:
        return (pair[1] if self.language == "km" else "") or pair[0]

    def _load(self, dimension: str) -> dict[Any, str]:
        if dimension == "category":
            rows = db.session.scalars(select(Category))
            return {c.code: self._pick((c.label_en, c.label_km)) for c in rows}
        if dimension == "agency":
            rows = db.session.scalars(select(Agency))
            return {a.id: self._pick((a.name_en, a.name_km)) for a in rows}
        if dimension == "forum":
            rows = db.session.scalars(select(Forum))
            return {f.id: f"{f.title} ({f.date.isoformat()})" for f in rows}
        return {}


@dataclass(frozen=True)
class Table:
    """A report as a header row and data rows; ``truncated`` when rows were cut at the bound."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    truncated: bool = False


def check_report(by: str) -> str:
    """Accept "performance", "ageing", or one or two dimensions ("category,province")."""
    by = (by or "").strip()
    if by not in (PERFORMANCE, AGEING, SATISFACTION):
        parse_dimensions(by)
    return by


def report_table(actor: User, by: str, language: str = "en", now: datetime | None = None) -> Table:
    """The report named by ``by`` over the actor's visible cases, labelled in the language."""
    by = check_report(by)
    labels = Labeller(language)
    if by == PERFORMANCE:
        table = _performance_table(actor, labels, now)
    elif by == AGEING:
        table = _ageing_table(actor, now)
    elif by == SATISFACTION:
        table = _satisfaction_table(actor, labels)
    else:
        table = _summary_table(actor, parse_dimensions(by), labels)
    rows = table.rows[:MAX_EXPORT_ROWS]
    return Table(table.name, table.headers, rows, len(table.rows) > len(rows))


def _summary_table(actor: User, names: list[str], labels: Labeller) -> Table:
    summary = summarise_cases(actor, names)
    headers = [h for name in names for h in (name, f"{name}_label")] + ["count"]
    rows = [
        [cell for name in names for cell in (row[name], labels(name, row[name]))] + [row["count"]]
        for row in summary.rows
    ]
    return Table("report-" + "-".join(names).replace("_", "-"), headers, rows)


def _performance_table(actor: User, labels: Labeller, now: datetime | None) -> Table:
    headers = [
        "agency_code", "agency_name", "referrals", "answered", "answered_on_time", "overdue",
        "share_on_time", "median_response_days",
    ]  # fmt: skip
    rows = [
        [
            row.code,
            labels("agency", row.agency_id),
            row.referrals,
            row.answered,
            row.answered_on_time,
            row.overdue,
            None if row.share_on_time is None else round(row.share_on_time, 4),
            row.median_response_days,
        ]
        for row in agency_performance(actor, now)
    ]
    return Table("report-agency-performance", headers, rows)


def _ageing_table(actor: User, now: datetime | None) -> Table:
    ageing = age_open_cases(actor, now)
    headers = ["working_days_since_logged", "open_cases", *ageing.states]
    rows = [
        [bucket.label, bucket.count, *(bucket.by_state[s] for s in ageing.states)]
        for bucket in ageing.buckets
    ]
    return Table("report-ageing", headers, rows)


def _satisfaction_table(actor: User, labels: Labeller) -> Table:
    headers = ["dimension", "value", "label", "yes", "partly", "no", "answers", "share_yes"]
    rows = [
        [
            by,
            row.value,
            labels(by, row.value),
            row.yes,
            row.partly,
            row.no,
            row.answers,
            None if row.share_yes is None else round(row.share_yes, 4),
        ]
        for by in SATISFACTION_BY
        for row in satisfaction(actor, by)
    ]
    return Table("report-satisfaction", headers, rows)


def to_csv(table: Table) -> str:
    """The table as CSV text, every cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook: numbers stay numbers, text is formula-safe."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.name[:31])
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append([_xlsx_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(value: Any) -> Any:
    """Numbers as numbers; text formula-safe and without the control characters XLSX cannot
    hold (a forum title with one would otherwise fail the whole download); a naive datetime (a
    local time) as a date cell."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        # Strip first, then defuse: "\x01=cmd" must not become the formula "=cmd".
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return None if value is None else safe_cell(value)
    return value


def export_report(
    actor: User, by: str, fmt: str, language: str = "en", now: datetime | None = None
) -> tuple[str, bytes]:
    """The report as a file: (file name, content) in CSV or XLSX."""
    if fmt not in FORMATS:
        raise ValidationFailed("Unknown export format.", {"format": ["Use csv or xlsx."]})
    table = report_table(actor, by, language, now)
    if fmt == "csv":
        return f"{table.name}.csv", to_csv(table).encode("utf-8-sig")
    return f"{table.name}.xlsx", to_xlsx(table)
