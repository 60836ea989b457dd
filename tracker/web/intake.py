"""Forum intake: pick or create a forum, then log its concerns quickly, a row each."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from tracker import access
from tracker.extensions import db
from tracker.models import Forum
from tracker.services.admin import create_forum
from tracker.services.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.services.intake import IntakeResult, log_forum_concerns
from tracker.services.slips import MAX_SLIPS, forum_cases
from tracker.web import web
from tracker.web.choices import category_choices, code_choices, forum_choices
from tracker.web.forms import (
    ID,
    MAX_FORM_ROWS,
    ChooseForumForm,
    ForumForm,
    IntakeForm,
    UploadForm,
    as_int,
    form_values,
    set_errors,
)
from tracker.web.messages import translated_errors
from tracker.web.slips import render_slips

ROW_FIELDS = (
    "title", "description", "category", "province", "gender_focus", "affected_group",
    "people_affected", "raised_by_name", "raised_by_phone",
)  # fmt: skip
FORUM_FIELDS = ("title", "kind", "date", "province", "venue")
MAX_BLANK_ROWS = 50


def _require_intake() -> None:
    if not access.can_run_intake(current_user):
        raise PermissionDenied(_("Only case officers log forum concerns."))


def forum_form(formdata=None) -> ForumForm:
    """The new-forum form with its options; a new forum is a regional one unless said otherwise
    (there is one annual forum a year, and many regional ones)."""
    form = ForumForm(formdata=formdata)
    form.kind.choices = code_choices("kind")
    form.province.choices = code_choices("province", _("Not stated"))
    if formdata is None:
        form.kind.data = "regional"
    return form


@web.route("/intake", methods=["GET", "POST"])
def intake():
    """Choose the forum (or create it) whose concerns are about to be logged."""
    _require_intake()
    choose = ChooseForumForm(formdata=None)
    choose.forum_id.choices = forum_choices()
    new = forum_form(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        try:
            forum = create_forum(
                current_user, form_values(new, FORUM_FIELDS), ip=request.remote_addr
            )
        except ValidationFailed as exc:
            set_errors(new, translated_errors(exc.errors))
            return render_template("intake_start.html", choose=choose, new=new), 422
        flash(_("Forum “%(title)s” created.", title=forum.title), "success")
        return redirect(url_for("web.intake_forum", forum_id=forum.id))
    return render_template("intake_start.html", choose=choose, new=new)


@web.get("/intake/go")
def intake_choose():
    """Go to the intake table of the chosen forum."""
    forum_id = as_int(request.args.get("forum_id"))
    if not isinstance(forum_id, int):
        return redirect(url_for("web.intake"))
    return redirect(url_for("web.intake_forum", forum_id=forum_id))


ROW_KEY = re.compile(r"^rows-([0-9]+)-(\w+)$")
MAX_ROW_INDEX_DIGITS = 6  # row numbers beyond a million are no table anyone typed


def _dense_rows(formdata: MultiDict) -> MultiDict:
    """Number the submitted rows 0, 1, 2, … (WTForms' FieldList mixes up gaps in the indices)."""
    matches = [m for key in formdata if (m := ROW_KEY.match(key))]
    if any(len(m.group(1)) > MAX_ROW_INDEX_DIGITS for m in matches):
        raise BadRequest(_("The form names a row that does not exist."))
    found = {int(m.group(1)) for m in matches}
    position = {index: number for number, index in enumerate(sorted(found))}
    dense = MultiDict()
    for key, value in formdata.items(multi=True):
        match = ROW_KEY.match(key)
        if match:
            key = f"rows-{position[int(match.group(1))]}-{match.group(2)}"
        dense.add(key, value)
    return dense


def row_choices(form: IntakeForm, forum: Forum, blank: bool = False) -> None:
    """Set the options of every row; blank rows (not sent back) take the forum's province."""
    categories = category_choices(_("— choose —"))
    provinces = code_choices("province", _("Not stated"))
    genders = code_choices("gender_focus")
    groups = code_choices("affected_group", _("Not stated"))
    for entry in form.rows:
        row = entry.form  # (a FormField's own attributes, like .description, hide its fields)
        row.category.choices, row.province.choices = categories, provinces
        row.gender_focus.choices, row.affected_group.choices = genders, groups
        if not row.gender_focus.data:
            row.gender_focus.data = "unspecified"
        if blank and not row.province.data:
            row.province.data = forum.province or ""


def _filled_rows(form: IntakeForm) -> tuple[list[int], list[dict]]:
    """The rows with a title or description, and their positions in the table."""
    positions, rows = [], []
    for position, entry in enumerate(form.rows):
        row = entry.form
        if (row.title.data or "").strip() or (row.description.data or "").strip():
            positions.append(position)
            rows.append(form_values(row, ROW_FIELDS))
    return positions, rows


def _place_row_errors(form: IntakeForm, positions: list[int], errors: dict) -> None:
    for key, messages in translated_errors(errors).items():
        _, index, name = key.split("-", 2) if key.startswith("rows-") else ("", "", key)
        row = form.rows[positions[int(index)]].form if index.isdigit() else None
        if row is not None and name in row:
            row[name].errors = messages
        else:
            flash(" ".join(messages), "error")


def intake_page(
    forum: Forum, form: IntakeForm, status: int = 200, upload_error: str | None = None, **extra
):
    """The intake page: the table of rows and the spreadsheet upload (with its error, if any)."""
    upload = UploadForm()
    if upload_error:
        upload.file.errors = [upload_error]
    return render_template("intake.html", forum=forum, form=form, upload=upload, **extra), status


@web.route(f"/intake/<{ID}:forum_id>", methods=["GET", "POST"])
def intake_forum(forum_id: int):
    """A table of blank rows; each filled row becomes a case when the table is sent."""
    _require_intake()
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise NotFound(_("No such forum."))
    if request.method == "POST" and _posted_rows(request.form) > MAX_FORM_ROWS:
        form = IntakeForm(formdata=None)
        row_choices(form, forum, blank=True)
        flash(
            _(
                "At most %(num)d rows at a time on this page; upload a spreadsheet for more. "
                "None was logged.",
                num=MAX_FORM_ROWS,
            ),
            "error",
        )
        return intake_page(forum, form, 422)
    wanted = as_int(request.args.get("rows"))
    form = IntakeForm(formdata=_dense_rows(request.form) if request.method == "POST" else None)
    if request.method == "GET" and isinstance(wanted, int):
        while len(form.rows) < min(wanted, MAX_BLANK_ROWS):
            form.rows.append_entry()
    row_choices(form, forum, blank=request.method == "GET")
    if request.method == "GET":
        return intake_page(forum, form)
    positions, rows = _filled_rows(form)
    try:
        result = log_forum_concerns(current_user, forum.id, rows, remote_addr=request.remote_addr)
    except ValidationFailed as exc:
        _place_row_errors(form, positions, exc.errors)
        flash(_("Some concerns are incomplete; none was logged. See the marked rows."), "error")
        return intake_page(forum, form, 422)
    return intake_done(forum, result)


def logged_message(result: IntakeResult) -> str:
    """What an intake did, in the reader's language."""
    message = ngettext(
        "%(num)d concern logged as a case.", "%(num)d concerns logged as cases.", len(result.logged)
    )
    if result.duplicates:
        message += " " + ngettext(
            "%(num)d concern was logged before and was not logged again.",
            "%(num)d concerns were logged before and were not logged again.",
            len(result.duplicates),
        )
    return message


def intake_done(forum: Forum, result: IntakeResult):
    """After an intake: say what was logged and print the slips of the new cases."""
    flash(logged_message(result), "success" if result.logged else "info")
    if not result.logged or len(result.logged) > MAX_SLIPS:
        return redirect(url_for("web.intake_forum", forum_id=forum.id))
    _, cases = forum_cases(current_user, forum.id, result.references)
    codes = {item.reference: item.access_code for item in result.logged}
    return render_slips(forum, cases, codes)


def _posted_rows(formdata: MultiDict) -> int:
    return len({m.group(1) for key in formdata if (m := ROW_KEY.match(key))})
