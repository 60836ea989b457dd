"""Spreadsheet uploads: the routes that take a file get a larger body limit than the others."""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

UPLOAD_ENDPOINTS = frozenset({"web.intake_upload", "forum_intake.import_file"})


def upload_limit() -> int:
    """The largest file an import takes (IMPORT_MAX_BYTES)."""
    return int(current_app.config["IMPORT_MAX_BYTES"])


def apply_upload_limit() -> None:
    """Let the upload routes read bodies up to IMPORT_MAX_BYTES (before anything reads them)."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = upload_limit()


def too_large_upload(error: RequestEntityTooLarge):
    """Say how large a file may be; other bodies get the usual 413 answer."""
    from tracker.errors import http_error_response

    if request.endpoint in UPLOAD_ENDPOINTS:
        megabytes = upload_limit() // (1024 * 1024)
        error = RequestEntityTooLarge(
            f"The file is larger than {megabytes} MB, the most this server takes; "
            "split it into smaller files. Nothing was logged."
        )
    return http_error_response(error)


def init_uploads(app: Flask) -> None:
    """Run the limit before the CSRF check and the API guard read the body."""
    app.before_request_funcs.setdefault(None, []).insert(0, apply_upload_limit)
    app.register_error_handler(RequestEntityTooLarge, too_large_upload)
