"""Spreadsheet upload on the forum's intake page: upload, preview, import with progress."""

from __future__ import annotations

import csv
import io
import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from flask import Response, current_app, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import access
from tracker.codes import CASE_FIELD_LABELS
from tracker.extensions import db
from tracker.models import Forum
from tracker.services.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from tracker.services.import_files import ParsedFile, UnknownColumns, read_rows
from tracker.services.intake import (
    IntakeResult,
    RowsInvalid,
    TooManyRows,
    plan_import,
    run_import,
)
from tracker.services.slips import MAX_SLIPS
from tracker.web import web
from tracker.web.choices import language
from tracker.web.forms import ID, IntakeForm
from tracker.web.intake import intake_done, intake_page, logged_message, row_choices
from tracker.web.messages import translated
from tracker.web.related import similar_rows

NDJSON = "application/x-ndjson"
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xlsm")
KEEP_SECONDS = 24 * 3600  # an upload never imported is removed after a day


def _forum(forum_id: int) -> Forum:
    if not access.can_run_intake(current_user):
        raise PermissionDenied(_("Only case officers log forum concerns."))
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        raise NotFound(_("No such forum."))
    return forum


def upload_folder() -> Path:
    """Where uploads wait between the preview and the import (IMPORT_UPLOAD_FOLDER)."""
    default = Path(current_app.instance_path) / "uploads"
    folder = Path(current_app.config.get("IMPORT_UPLOAD_FOLDER") or default)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(token: str) -> Path:
    """The uploaded file of this user with this token, or 404."""
    if not token.isalnum() or len(token) > 64:
        raise NotFound(_("This upload has expired; upload the file again."))
    for suffix in UPLOAD_SUFFIXES:
        path = upload_folder() / f"{current_user.id}-{token}{suffix}"
        if path.exists():
            return path
    raise NotFound(_("This upload has expired; upload the file again."))


def _store(upload) -> Path:
    """Keep the upload under a random name bound to the user; forget old ones."""
    folder = upload_folder()
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationFailed("Use a .csv or .xlsx file.", {"file": ["Unsupported file type."]})
    path = folder / f"{current_user.id}-{secrets.token_hex(16)}{suffix}"
    upload.save(path)
    return path


def row_report(parsed: ParsedFile, invalid: RowsInvalid) -> list[tuple[int, str, str]]:
    """Each problem as (line in the file, column as the file names it, message translated)."""
    return [
        (line, parsed.column_of(name), " ".join(translated(m) for m in messages))
        for line, errors in sorted(invalid.by_row.items())
        for name, messages in errors.items()
    ]


def understood_columns(parsed: ParsedFile) -> list[tuple[str, str]]:
    """Each column of the file and the field it was read as, in the reader's language."""
    km = language() == "km"
    return [
        (header, CASE_FIELD_LABELS[field][1 if km else 0] if field else _("ignored (empty)"))
        for header, field in zip(parsed.headers, parsed.fields, strict=True)
    ]


def file_problem(exc: ValidationFailed) -> str:
    """What is wrong with the file as a whole, in the reader's language."""
    if isinstance(exc, UnknownColumns):
        return _(
            "Unknown columns: %(names)s. Use the column names of a template file.",
            names=", ".join(exc.names),
        )
    if isinstance(exc, TooManyRows):
        return _(
            "The file has %(count)d rows; at most %(limit)d are taken at a time. "
            "Split it into smaller files. Nothing was logged.",
            count=exc.count,
            limit=exc.limit,
        )
    return translated(exc.detail) or exc.detail


def _page_with(forum: Forum, status: int, upload_error: str | None = None, **extra):
    form = IntakeForm(formdata=None)
    row_choices(form, forum, blank=True)
    return intake_page(forum, form, status, upload_error, **extra)


@web.post(f"/intake/<{ID}:forum_id>/upload")
def intake_upload(forum_id: int):
    """Read the uploaded file: a preview to confirm, or the report of every bad row."""
    forum = _forum(forum_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page_with(forum, 422, _("Choose a CSV or XLSX file to upload."))
    path = None
    try:
        path = _store(upload)
        parsed = read_rows(path)
        plan = plan_import(current_user, forum.id, parsed.rows, lines=parsed.lines)
    except RowsInvalid as invalid:
        path.unlink(missing_ok=True)
        problem = _(
            "Some rows have errors; nothing was logged. Correct the file and upload it again."
        )
        return _page_with(
            forum, 422, problem, report=row_report(parsed, invalid), filename=upload.filename
        )
    except ValidationFailed as exc:
        if path is not None:
            path.unlink(missing_ok=True)
        return _page_with(forum, 422, file_problem(exc))
    if not plan.todo:  # nothing to import: the preview says so, and the file is not kept
        path.unlink(missing_ok=True)
    preview = {
        "token": path.stem.split("-", 1)[1],
        "filename": upload.filename,
        "columns": understood_columns(parsed),
        "samples": parsed.samples,
        "total": len(parsed.rows),
        "new": len(plan.todo),
        "duplicates": len(plan.duplicates),
        "similar": similar_rows(plan.checked, plan.todo, parsed.lines),
    }
    return _page_with(forum, 200, preview=preview)


@web.post(f"/intake/<{ID}:forum_id>/upload/<token>")
def intake_upload_import(forum_id: int, token: str):
    """Import a previewed file; with ``Accept: application/x-ndjson`` report progress as it goes."""
    forum = _forum(forum_id)
    path = _stored(token)
    parsed = read_rows(path)
    plan = plan_import(current_user, forum.id, parsed.rows, lines=parsed.lines)
    result = IntakeResult(duplicates=plan.duplicates)
    steps = run_import(current_user, plan, result, remote_addr=request.remote_addr)
    if NDJSON not in request.headers.get("Accept", ""):
        for _step in steps:
            pass
        path.unlink(missing_ok=True)
        return intake_done(forum, result)
    return Response(
        stream_with_context(_progress(steps, result, len(parsed.rows), path, forum)),
        mimetype=NDJSON,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _progress(
    steps: Iterator[int], result: IntakeResult, total: int, path: Path, forum: Forum
) -> Iterator[str]:
    """One JSON line per batch, then the outcome (with the codes for the slips)."""
    done = 0
    yield json.dumps({"done": 0, "total": total}) + "\n"
    try:
        for handled in steps:
            done += handled
            yield json.dumps({"done": done, "total": total}) + "\n"
    except DomainError as exc:
        yield json.dumps({"error": translated(exc.detail) or exc.detail}) + "\n"
        return
    path.unlink(missing_ok=True)
    yield (
        json.dumps(
            {
                "done": total,
                "total": total,
                "imported": len(result.logged),
                "duplicates": len(result.duplicates),
                "references": ",".join(result.references),
                "codes": ",".join(item.access_code for item in result.logged),
                "max_slips": MAX_SLIPS,
                "message": logged_message(result),
                "intake": url_for("web.intake_forum", forum_id=forum.id),
            },
            ensure_ascii=False,
        )
        + "\n"
    )


@web.get("/intake/template.<any(csv, xlsx):fmt>")
def intake_template(fmt: str):
    """An empty import file with English (or, with ``?language=km``, Khmer) column headers."""
    if not access.can_run_intake(current_user):
        raise PermissionDenied(_("Only case officers log forum concerns."))
    km = request.args.get("language") == "km"
    headers = [labels[1 if km else 0] for labels in CASE_FIELD_LABELS.values()]
    name = f"concerns-template-{'km' if km else 'en'}.{fmt}"
    body = csv_template(headers) if fmt == "csv" else xlsx_template(headers)
    mimetype = "text/csv" if fmt == "csv" else XLSX
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_template(headers: list[str]) -> bytes:
    """The header row as UTF-8 CSV with a byte-order mark (so spreadsheets read Khmer right)."""
    out = io.StringIO()
    csv.writer(out).writerow(headers)
    return out.getvalue().encode("utf-8-sig")


def xlsx_template(headers: list[str]) -> bytes:
    """The header row as a workbook."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(headers)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
