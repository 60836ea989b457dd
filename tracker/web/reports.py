"""The reports page (bar charts, a crossing table, ageing, agency performance) and its downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, render_template, request, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from tracker import access
from tracker.read_replica import reads_from_replica
from tracker.services.errors import PermissionDenied
from tracker.services.exports import Labeller, export_report
from tracker.services.reports import (
    DIMENSIONS,
    AgeBucket,
    Summary,
    age_open_cases,
    agency_performance,
    count_anonymous,
    cross_cases,
    summarise_cases,
)
from tracker.services.satisfaction import SATISFACTION_BY, satisfaction
from tracker.services.time_in_state import time_in_state
from tracker.web import web
from tracker.web.choices import language
from tracker.web.digits import local_digits

CHART_LIMIT = 25
DEFAULT_CROSS = ("category", "province")
# Report dimension → the case list's filter parameter, so a bar opens the cases it counts.
CASE_FILTERS = {
    "state": "state",
    "category": "category",
    "province": "province",
    "gender_focus": "gender_focus",
    "agency": "agency_id",
    "forum": "forum_id",
}
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Bar:
    """One bar: its label, count, length in percent of the longest, and where it leads."""

    label: str
    count: int
    width: float
    href: str | None = None
    brief: str | None = None


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of one dimension; ``more`` counts the rows left out."""

    dimension: str
    title: str
    bars: list[Bar]
    total: int
    more: int


def dimension_names() -> dict[str, str]:
    """The dimensions in the reader's language."""
    return {
        "state": _("State"),
        "category": _("Category"),
        "province": _("Province"),
        "gender_focus": _("Gender focus"),
        "agency": _("Agency"),
        "forum": _("Forum"),
    }


def chart_titles() -> dict[str, str]:
    """The charts' headings in the reader's language."""
    return {
        "state": _("Cases by state"),
        "category": _("Cases by category"),
        "province": _("Cases by province"),
        "gender_focus": _("Cases by gender focus"),
        "agency": _("Cases by agency"),
        "forum": _("Cases by forum"),
    }


def _require_reports() -> None:
    if not access.can_see_reports(current_user):
        raise PermissionDenied(_("You may not see reports."))


def _bar_links(dimension: str, value: Any) -> dict[str, str | None]:
    if value is None:
        return {}
    links: dict[str, str | None] = {
        "href": url_for("web.case_list", **{CASE_FILTERS[dimension]: value})
    }
    if dimension == "forum" and access.can_print_forum_brief(current_user):
        links["brief"] = url_for("web.forum_brief", forum_id=value)
    return links


def chart(summary: Summary, labels: Labeller, title: str) -> Chart:
    """Bars for a one-dimension summary, the longest bar full width."""
    dimension = summary.by[0]
    top = max((row["count"] for row in summary.rows), default=0) or 1
    bars = [
        Bar(
            labels(dimension, row[dimension]),
            row["count"],
            round(100 * row["count"] / top, 1),
            **_bar_links(dimension, row[dimension]),
        )
        for row in summary.rows[:CHART_LIMIT]
    ]
    return Chart(dimension, title, bars, summary.total, max(0, len(summary.rows) - CHART_LIMIT))


def age_label(bucket: AgeBucket) -> str:
    """A bucket of working days in words."""
    if bucket.high is None:
        return _("More than %(days)d working days", days=bucket.low - 1)
    return _("%(low)d to %(high)d working days", low=bucket.low, high=bucket.high)


def ageing_chart(labels: Labeller) -> tuple[Chart, Any]:
    """The open cases' ageing as bars, and the figures themselves (per state)."""
    ageing = age_open_cases(current_user)
    top = max((b.count for b in ageing.buckets), default=0) or 1
    bars = [Bar(age_label(b), b.count, round(100 * b.count / top, 1)) for b in ageing.buckets]
    return Chart("ageing", _("Open cases by working days since logged"), bars, ageing.total, 0), (
        ageing
    )


def _cross_choice() -> tuple[str, str]:
    """The crossing the reader chose (rows × columns); anything invalid means the default."""
    rows, columns = request.args.get("rows", ""), request.args.get("columns", "")
    if rows in DIMENSIONS and columns in DIMENSIONS and rows != columns:
        return rows, columns
    return DEFAULT_CROSS


@web.get("/reports")
@reads_from_replica
def reports():
    """Charts of the cases this user may see, a crossing table, ageing and agency performance."""
    _require_reports()
    labels = Labeller(language())
    charts = [
        chart(summarise_cases(current_user, name), labels, title)
        for name, title in chart_titles().items()
    ]
    rows, columns = _cross_choice()
    ageing, ageing_figures = ageing_chart(labels)
    return render_template(
        "reports.html",
        charts=charts,
        total=charts[0].total,
        anonymous=count_anonymous(current_user),
        cross=cross_cases(current_user, rows, columns),
        names=dimension_names(),
        labels=labels,
        ageing=ageing,
        ageing_figures=ageing_figures,
        age_label=age_label,
        performance=agency_performance(current_user),
        satisfaction={by: satisfaction(current_user, by) for by in SATISFACTION_BY},
        state_times=time_in_state(current_user),
        percent=lambda share: "—" if share is None else local_digits(format_percent(share)),
        decimal=lambda value: "—" if value is None else local_digits(format_decimal(value)),
    )


@web.get("/reports/export.<any(csv, xlsx):fmt>")
@reads_from_replica
def report_export(fmt: str):
    """A report as CSV or XLSX: ``by=category``, ``by=category,province``, ``by=performance``
    or ``by=ageing``; labels in the reader's language."""
    _require_reports()
    name, content = export_report(current_user, request.args.get("by", ""), fmt, language())
    return Response(
        content,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
