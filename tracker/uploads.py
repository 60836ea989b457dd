"""Spreadsheet uploads: the routes that take a file, their body limit and its message."""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

UPLOAD_ENDPOINTS = frozenset({"web.intake_upload", "forum_intake.import_file"})


def upload_limit() -> int:
    """The largest file an import takes (IMPORT_MAX_BYTES)."""
    return int(current_app.config["IMPORT_MAX_BYTES"])


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
    """Say how large an upload may be when one is too large (the limit: tracker.body_limits)."""
    app.register_error_handler(RequestEntityTooLarge, too_large_upload)
