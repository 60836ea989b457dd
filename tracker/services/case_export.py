"""The case list as a file for people: values labelled in the reader's language, the codes in
extra columns for scripts, times in the app's time zone; CSV (with a UTF-8 BOM, so that Excel
reads Khmer) or XLSX.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tracker import codes
from tracker.access import PERSONAL_FIELDS
from tracker.extensions import db
from tracker.models import Case, Organisation, User
from tracker.services.errors import ValidationFailed
from tracker.services.exports import FORMATS, Labeller, Table, to_csv, to_xlsx
from tracker.working_days import working_calendar

# Columns for people, in order; each shows a label (or a local time) rather than a code.
READABLE_COLUMNS = (
    "reference", "title", "state", "category", "province", "gender_focus", "affected_group",
    "people_affected", "priority", "forum_id", "organisation_id", "owner_id", "agency_id",
    "due_at", "outcome", "created_at", "updated_at",
)  # fmt: skip
# The same values as codes, ids and UTC times, headed by their Case JSON names (the reference
# again, so that a script needs only these columns).
CODE_COLUMNS = (
    "reference", "state", "category", "province", "gender_focus", "affected_group", "priority",
    "forum_id", "organisation_id", "owner_id", "agency_id", "outcome", "due_at", "created_at",
    "updated_at",
)  # fmt: skip
LOCAL_TIME = "%Y-%m-%d %H:%M"
_CODE_TABLES = {
    "affected_group": codes.AFFECTED_GROUPS,
    "priority": codes.PRIORITIES,
    "outcome": codes.OUTCOMES,
}
_LABELLED = {"forum_id": "forum", "agency_id": "agency"}


class _CaseLabels:
    """Labels of one export's values: code tables, reference rows and people, read once."""

    def __init__(self, cases: Sequence[Case], language: str) -> None:
        self.language = language
        self.labeller = Labeller(language)
        self.tz = working_calendar().tz
        owner_ids = {c.owner_id for c in cases if c.owner_id}
        organisation_ids = {c.organisation_id for c in cases if c.organisation_id}
        self.owners = _names(User, owner_ids)
        self.organisations = _names(Organisation, organisation_ids)

    def readable(self, case: Case, name: str) -> Any:
        """One value for people: a label, a local time, or the value itself."""
        value = getattr(case, name)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.astimezone(self.tz).replace(tzinfo=None)
        if name in ("state", "category", "province", "gender_focus"):
            return self.labeller(name, value)
        if name in _CODE_TABLES:
            return codes.label(_CODE_TABLES[name], value, self.language)
        if name in _LABELLED:
            return self.labeller(_LABELLED[name], value)
        if name == "owner_id":
            return self.owners.get(value, str(value))
        if name == "organisation_id":
            return self.organisations.get(value, str(value))
        return value


def _names(model: type, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def case_table(
    cases: Sequence[Case],
    *,
    language: str,
    with_personal: bool,
    header: Callable[[str], str],
) -> Table:
    """The cases as a table: readable columns headed by ``header(name)``, then the codes."""
    readable = list(READABLE_COLUMNS)
    if with_personal:
        readable[2:2] = list(PERSONAL_FIELDS)
    labels = _CaseLabels(cases, "km" if language == "km" else "en")
    headers = [header(name) for name in readable] + list(CODE_COLUMNS)
    rows = [
        [labels.readable(case, name) for name in readable]
        + [getattr(case, name) for name in CODE_COLUMNS]
        for case in cases
    ]
    return Table("cases", headers, rows)


def case_file(table: Table, fmt: str) -> tuple[str, bytes]:
    """The table as (file name, content): CSV with a UTF-8 BOM, or XLSX."""
    if fmt not in FORMATS:
        raise ValidationFailed("Unknown export format.", {"format": ["Use csv or xlsx."]})
    if fmt == "csv":
        local = Table(table.name, table.headers, [_csv_row(row) for row in table.rows])
        return "cases.csv", to_csv(local).encode("utf-8-sig")
    return "cases.xlsx", to_xlsx(table)


def _csv_row(row: list[Any]) -> list[Any]:
    """Local times as "2026-12-15 17:00" (naive datetimes are the local ones)."""
    return [
        value.strftime(LOCAL_TIME)
        if isinstance(value, datetime) and value.tzinfo is None
        else value
        for value in row
    ]
