"""The case list (filters, search, sort, pages, CSV export) and logging or editing a case."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import access
from tracker.errors import headers_of
from tracker.models import Case, now_utc
from tracker.read_replica import reads_from_replica
from tracker.services.case_export import case_file, case_table
from tracker.services.case_fields import EDITABLE_FIELDS
from tracker.services.case_queries import CaseFilters, Page, search_cases
from tracker.services.cases import LoggedCase, edit_case, get_case, log_case
from tracker.services.confidentiality import CONFIDENTIAL_FIELDS, record_views, team_ids_of
from tracker.services.errors import (
    PermissionDenied,
    StaleVersion,
    TooManyRequests,
    ValidationFailed,
)
from tracker.web import web
from tracker.web.choices import (
    agency_choices,
    category_choices,
    code_choices,
    forum_choices,
    language,
    organisation_choices,
    staff_choices,
)
from tracker.web.forms import CaseFilterForm, CaseForm, as_int, form_values, set_errors
from tracker.web.helpers import column_label, workflow_label
from tracker.web.messages import translated, translated_errors
from tracker.web.related import suggestions_for
from tracker.web.triage import bulk_choices, owner_names
from tracker.workflow_registry import registry
from workflows.time_rules import past_week_start

PER_PAGE = 25
EXPORT_LIMIT = 5000
EXPORT_MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SORTS = ("-created_at", "-updated_at", "due_at", "reference", "-priority", "state")


def _filter_form() -> CaseFilterForm:
    form = CaseFilterForm(formdata=request.args)
    anything = _("Any")
    form.state.choices = code_choices("state", anything)
    form.category.choices = category_choices(anything, include_inactive=True)
    form.province.choices = code_choices("province", anything)
    form.agency_id.choices = agency_choices(anything)
    form.owner_id.choices = staff_choices(anything)
    form.forum_id.choices = forum_choices(anything)
    form.gender_focus.choices = code_choices("gender_focus", anything)
    form.overdue.choices = [
        ("", anything),
        ("yes", _("Overdue")),
        ("no", _("Not overdue")),
        ("soon", _("Due within 2 working days")),
    ]
    form.changed.choices = [("", anything), ("week", _("In the last 7 days"))]
    form.sort.choices = [
        ("-created_at", _("Newest first")),
        ("-updated_at", _("Recently changed")),
        ("due_at", _("Due soonest")),
        ("reference", _("Reference")),
        ("-priority", _("Priority")),
        ("state", _("State")),
    ]
    return form


def _filters(form: CaseFilterForm) -> CaseFilters:
    """Turn the query string into filters; values that make no sense are ignored."""
    ids = {name: as_int(form[name].data) for name in ("agency_id", "owner_id", "forum_id")}
    return CaseFilters.from_mapping(
        {
            "q": (form.q.data or "").strip()[:200],
            "state": form.state.data if form.state.data in registry().states else None,
            "category": form.category.data,
            "province": form.province.data,
            "gender_focus": form.gender_focus.data,
            "overdue": {"yes": True, "no": False}.get(form.overdue.data or ""),
            "due_soon": form.overdue.data == "soon" or None,
            "changed_after": past_week_start(now_utc()) if form.changed.data == "week" else None,
            **{name: value for name, value in ids.items() if isinstance(value, int)},
        }
    )


def _sort(form: CaseFilterForm) -> str:
    return form.sort.data if form.sort.data in SORTS else "-created_at"


@web.get("/cases")
def case_list():
    """The cases this user may see, filtered, searched, sorted and paged."""
    form = _filter_form()
    page_number = as_int(request.args.get("page"))
    number = page_number if isinstance(page_number, int) else 1
    filters, sort = _filters(form), _sort(form)
    try:
        page = search_cases(
            current_user, filters, sort=sort, page=number, per_page=PER_PAGE, cursor=_cursor()
        )
    except ValidationFailed:  # a cursor edited by hand, or made for another sort
        flash(_("That page link no longer fits this list; here is its first page."), "error")
        page = search_cases(current_user, filters, sort=sort, per_page=PER_PAGE)
    # Only the filters go back into the links: other keys would reach url_for as its own
    # arguments (_method, _anchor, _external …).
    query = {k: v for k, v in request.args.items() if k in form and v}
    return render_template(
        "cases.html",
        form=form,
        page=page,
        query=query,
        bulk=bulk_choices(),
        owners=owner_names(page.items),
    )


def _cursor() -> str | None:
    """The keyset cursor of the page asked for (from a Next link), if any."""
    cursor = request.args.get("cursor", "")
    return cursor[:500] or None


def _export_rows(filters: CaseFilters, sort: str) -> list[Case]:
    """The list's first EXPORT_LIMIT rows, page after page by keyset (no OFFSET, no recount)."""
    rows: list[Case] = []
    cursor = None
    while len(rows) < EXPORT_LIMIT:
        page: Page = search_cases(
            current_user, filters, sort=sort, per_page=100, cursor=cursor, with_total=False
        )
        rows.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    return rows[:EXPORT_LIMIT]


@web.get("/cases/export.<any(csv, xlsx):fmt>")
@reads_from_replica
def case_export(fmt: str):
    """The current list (same filters and order) as CSV or XLSX, labelled in the reader's
    language with the codes in extra columns; personal data only where allowed."""
    form = _filter_form()
    rows = _export_rows(_filters(form), _sort(form))
    table = case_table(
        rows,
        language=language(),
        with_personal=access.is_staff(current_user),
        header=column_label,
    )
    name, content = case_file(table, fmt)
    # After the table is made: the commit would otherwise expire every row it reads.
    record_views(current_user, rows, via="export", remote_addr=request.remote_addr)
    return Response(
        content,
        mimetype=EXPORT_MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


def _case_form(case: Case | None = None) -> CaseForm:
    form = CaseForm(obj=case) if request.method == "GET" else CaseForm()
    form.category.choices = category_choices(_("— choose —"))
    form.forum_id.choices = forum_choices(_("None"))
    form.organisation_id.choices = organisation_choices(_("None"))
    form.affected_group.choices = code_choices("affected_group", _("Not stated"))
    form.gender_focus.choices = code_choices("gender_focus")
    form.province.choices = code_choices("province", _("Not stated"))
    form.priority.choices = code_choices("priority")
    form.language.choices = code_choices("language")
    form.channel.choices = code_choices("channel", _("Email if given, else SMS"))
    form.workflow.choices = [(name, workflow_label(name)) for name in registry().names()]
    form.team_ids.choices = staff_choices()
    if case is not None and request.method == "GET":
        form.team_ids.data = [str(user_id) for user_id in team_ids_of(case)]
    if case is None and request.method == "GET":
        form.workflow.data = "case"
        form.gender_focus.data, form.priority.data = "unspecified", "normal"
        form.language.data = current_user.language
    return form


def case_fields_for(case: Case | None) -> list[str]:
    """The fields this user fills in: representatives neither pick an organisation nor see
    other people's personal data."""
    names = [n for n in EDITABLE_FIELDS if n != "organisation_id" or access.is_staff(current_user)]
    if case is not None and not access.can_see_personal_data(current_user, case):
        names = [n for n in names if n not in (*access.PERSONAL_FIELDS, "channel")]
    if access.can_set_confidential(current_user):
        names += list(CONFIDENTIAL_FIELDS)
    return names


def remember_codes(logged: list[LoggedCase]) -> None:
    """Keep new access codes for the next page, which shows them once."""
    remember_code_pairs([(item.case.reference, item.access_code) for item in logged])


def remember_code_pairs(pairs: list[tuple[str, str]]) -> None:
    """Keep (reference, access code) pairs for the next page, which shows them once."""
    session["new_codes"] = [[reference, code] for reference, code in pairs]


@web.route("/cases/new", methods=["GET", "POST"])
def new_case():
    """Raise (representatives) or log (staff) one concern."""
    if not access.can_create_case(current_user):
        raise PermissionDenied(_("You may not log cases."))
    form = _case_form()
    fields = case_fields_for(None) + (["workflow"] if access.is_staff(current_user) else [])
    if request.method == "POST" and request.form.get("check"):  # "Check for similar concerns"
        similar = suggestions_for(form.title.data or "", form.description.data or "")
        return render_template(
            "case_form.html",
            form=form,
            fields=fields,
            case=None,
            similar=similar,
            checked=True,
            join_endpoint="web.join_case",
        )
    if request.method == "POST":
        try:
            logged = log_case(
                current_user, form_values(form, fields), remote_addr=request.remote_addr
            )
        except ValidationFailed as exc:
            set_errors(form, translated_errors(exc.errors))
            return render_template("case_form.html", form=form, fields=fields, case=None), 422
        except TooManyRequests as exc:
            flash(translated(exc.detail), "error")
            page = render_template("case_form.html", form=form, fields=fields, case=None)
            return page, 429, headers_of(exc)
        remember_codes([logged])
        flash(_("Case %(reference)s logged.", reference=logged.case.reference), "success")
        return redirect(url_for("web.case_page", reference=logged.case.reference))
    return render_template("case_form.html", form=form, fields=fields, case=None)


@web.route("/cases/<reference>/edit", methods=["GET", "POST"])
def edit_case_page(reference: str):
    """Change a case's fields (staff)."""
    case = get_case(current_user, reference)
    if not access.can_edit_case(current_user, case):
        raise PermissionDenied(_("You may not edit this case."))
    form = _case_form(case)
    fields = case_fields_for(case)
    if request.method == "POST":
        try:
            edit_case(
                current_user,
                reference,
                form_values(form, fields),
                expected_version=as_int(form.version.data),
                remote_addr=request.remote_addr,
            )
        except ValidationFailed as exc:
            set_errors(form, translated_errors(exc.errors))
            return render_template("case_form.html", form=form, fields=fields, case=case), 422
        except StaleVersion:
            flash(_("Someone else changed this case meanwhile. Check it and try again."), "error")
            return redirect(url_for("web.case_page", reference=reference))
        flash(_("%(reference)s: changes saved.", reference=reference), "success")
        return redirect(url_for("web.case_page", reference=reference))
    form.version.data = str(case.version)
    return render_template("case_form.html", form=form, fields=fields, case=case)
