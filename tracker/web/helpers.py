"""What every template may use: labels, dates, deadlines, the navigation; and page headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from tracker import access
from tracker.feedback_words import appeal_heading, appeal_sentence, thanks_sentence
from tracker.models import Case, now_utc
from tracker.services.passwords import MIN_PASSWORD_LENGTH
from tracker.web.choices import (
    agency_label,
    category_label,
    category_name,
    code_label,
    language,
    role_choices,
)
from tracker.web.digits import local_digits, number
from tracker.web.form_errors import error_entries
from tracker.web.forms import LanguageForm
from tracker.web.messages import translated
from tracker.workflow_registry import is_open, registry
from tracker.working_days import working_calendar
from workflows.time_rules import is_due_soon, is_overdue


@dataclass(frozen=True)
class DueStatus:
    """How a deadline stands: kind is "overdue", "soon" or "ok"; text says it in words."""

    kind: str
    text: str
    date: str


def due_status(due_at: datetime | None, now: datetime | None = None) -> DueStatus | None:
    """Describe a deadline relative to today (in the app's time zone), or None if there is none."""
    if due_at is None:
        return None
    now = now or now_utc()
    calendar = working_calendar()
    days = (calendar.local_date(due_at) - calendar.local_date(now)).days
    date = local_digits(format_date(due_at, "medium"))
    if is_overdue(due_at, now):
        late = max(0, -days)
        text = (
            ngettext("Overdue by %(num)d day", "Overdue by %(num)d days", late)
            if late
            else _("Overdue")
        )
        return DueStatus("overdue", local_digits(text), date)
    if days == 0:
        return DueStatus("soon", _("Due today"), date)
    text = ngettext("%(num)d day left", "%(num)d days left", days)
    kind = "soon" if is_due_soon(due_at, now, calendar) else "ok"
    return DueStatus(kind, local_digits(text), date)


def case_due(case: Case) -> DueStatus | None:
    """The deadline of an open case."""
    return due_status(case.due_at) if is_open(case.state) else None


def workflow_label(name: str) -> str:
    """A workflow's name in the reader's language (from its definition)."""
    if name not in registry():
        return name
    return registry().workflow(name).label.get(language()) or name


# CLDR's Khmer time formats use a Latin "AM"/"PM"; Cambodian offices write the 24-hour clock.
_KHMER_MOMENT_PATTERNS = {
    "short": "d/M/yy H:mm",
    "medium": "d MMM y, H:mm",
    "long": "d MMMM y, H:mm",
}


# English: CLDR's medium and long times carry seconds (and long a zone), which nobody reads.
_ENGLISH_MOMENT_PATTERNS = {
    "medium": "d MMM y, h:mm a",
    "long": "d MMMM y, h:mm a",
}


def when(moment: datetime | None, style: str = "medium") -> str:
    """A moment in the reader's language and the app's time zone, to the minute (24-hour clock
    in Khmer)."""
    if not moment:
        return ""
    if str(get_locale()) == "km":
        return local_digits(format_datetime(moment, _KHMER_MOMENT_PATTERNS.get(style, style)))
    return format_datetime(moment, _ENGLISH_MOMENT_PATTERNS.get(style, style))


def column_label(name: str) -> str:
    """The heading of a case field in an export, in the reader's language."""
    labels = {
        "reference": _("Reference"),
        "title": _("Title"),
        "raised_by_name": _("Raised by (name)"),
        "raised_by_email": _("Email of the person who raised it"),
        "raised_by_phone": _("Phone of the person who raised it"),
        "state": _("State"),
        "category": _("Category"),
        "province": _("Province"),
        "gender_focus": _("Gender focus"),
        "affected_group": _("Affected group"),
        "people_affected": _("People affected"),
        "priority": _("Priority"),
        "forum_id": _("Forum"),
        "organisation_id": _("Organisation"),
        "owner_id": _("Owner"),
        "agency_id": _("Agency"),
        "due_at": _("Due"),
        "outcome": _("Outcome"),
        "created_at": _("Logged on"),
        "updated_at": _("Last change"),
    }
    return labels.get(name, name)


def day(moment: Any, style: str = "medium") -> str:
    """A date in the reader's language."""
    return local_digits(format_date(moment, style)) if moment else ""


@dataclass(frozen=True)
class NavItem:
    """One link of the top navigation."""

    endpoint: str
    label: str


def nav_items() -> list[NavItem]:
    """The sections this user may use."""
    if not current_user.is_authenticated:
        return [
            NavItem("web.public_status", _("Case status")),
            NavItem("web.raise_concern", _("Raise a concern")),
            NavItem("web.login", _("Log in")),
        ]
    items = [NavItem("web.dashboard", _("Dashboard")), NavItem("web.case_list", _("Cases"))]
    if access.can_create_case(current_user):
        items.append(NavItem("web.new_case", _("New concern")))
    if access.can_run_intake(current_user):
        items.append(NavItem("web.intake", _("Forum intake")))
    if access.can_list_referrals(current_user):
        items.append(NavItem("web.referrals", _("Referrals")))
    if access.can_see_reports(current_user):
        items.append(NavItem("web.reports", _("Reports")))
    items.append(NavItem("web.workflow", _("Workflow")))
    if access.is_admin(current_user):
        items.append(NavItem("web.admin_home", _("Admin")))
    return items


def is_current(endpoint: str) -> bool:
    """Tell whether the page shown belongs to this navigation section."""
    section = endpoint.removeprefix("web.").split("_")[0]
    return (request.endpoint or "").removeprefix("web.").startswith(section)


def language_form() -> LanguageForm:
    """The English / ខ្មែរ switch, returning to this page."""
    form = LanguageForm(formdata=None)
    form.next.data = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return form


def template_helpers() -> dict[str, Any]:
    """Names every template can use."""
    return {
        "access": access,
        "agency_label": agency_label,
        "appeal_heading": appeal_heading,
        "appeal_sentence": appeal_sentence,
        "case_due": case_due,
        "category_label": category_label,
        "category_name": category_name,
        "code_label": code_label,
        "day": day,
        "due_status": due_status,
        "error_entries": error_entries,
        "is_current": is_current,
        "is_open": is_open,
        "workflow_label": workflow_label,
        "workflow_states": lambda: registry().states,
        "language": language,
        "language_form": language_form,
        "min_password_length": MIN_PASSWORD_LENGTH,
        "nav_items": nav_items,
        "number": number,
        "role_names": role_choices(),
        "thanks_sentence": thanks_sentence,
        "translated": translated,
        "url_for": url_for,
        "when": when,
    }


def init_templates(app: Flask) -> None:
    """Make the helpers available to every template (the error pages too)."""
    app.context_processor(template_helpers)
    # A translated sentence with numbers in it (no references or codes) in the reader's digits.
    app.jinja_env.filters["digits"] = local_digits
