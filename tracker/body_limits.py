"""413 for every body over its limit (``body_limit``), whether it says its length or is chunked.

Werkzeug checks a declared Content-Length against ``max_content_length``, but a chunked body
(no Content-Length; the server sets ``wsgi.input_terminated``) is only wrapped in a stream that
stops at the limit: reading it all returns the first ``limit`` bytes without an error,
so a cut JSON body answered 400 and a cut form was taken as sent. Here such a body is read up
to one byte past the limit before anything parses it: too long is 413, otherwise the request
goes on with the whole body and its now known length.
"""

from __future__ import annotations

import io
from typing import BinaryIO, NoReturn

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import get_content_length

DRAIN_FACTOR = 8  # beyond 8 times the limit, a body is not read to its end (the client sees
# the connection closed instead of the 413)


def body_limit() -> int | None:
    """The largest body this request may carry: API_MAX_CONTENT_LENGTH on the API (JSON),
    MAX_CONTENT_LENGTH on the pages (forms), IMPORT_MAX_BYTES on the spreadsheet uploads."""
    from tracker.uploads import UPLOAD_ENDPOINTS, upload_limit

    if request.endpoint in UPLOAD_ENDPOINTS:
        return upload_limit()
    if request.path.startswith("/api/"):
        return current_app.config["API_MAX_CONTENT_LENGTH"]
    return current_app.config.get("MAX_CONTENT_LENGTH")


def check_body_size() -> None:
    """Refuse an oversized body with 413 before any form, JSON or CSRF check reads it."""
    limit = body_limit()
    if not limit:
        return
    request.max_content_length = limit
    environ = request.environ
    declared = get_content_length(environ)
    if declared is not None:
        if declared > limit:
            too_large(environ["wsgi.input"], limit, declared)
        return
    if not environ.get("wsgi.input_terminated"):
        return  # no declared length and no terminated stream: Werkzeug reads no body at all
    body = environ["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        too_large(environ["wsgi.input"], limit)
    # From here on the body is an ordinary one of known length (the server has de-chunked it).
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)


def too_large(stream: BinaryIO, limit: int, declared: int | None = None) -> NoReturn:
    """Answer 413, first reading (and dropping) what the client still sends, up to
    DRAIN_FACTOR times the limit (and never past a declared length, where a raw socket would
    block): a server that closes with the body unread resets the connection, and most clients
    then report that instead of showing the 413."""
    remaining = limit * DRAIN_FACTOR
    if declared is not None:
        remaining = min(remaining, declared)
    while remaining > 0 and (piece := stream.read(min(65536, remaining))):
        remaining -= len(piece)
    raise RequestEntityTooLarge()


def init_body_limits(app: Flask) -> None:
    """Run the size check first, before every other hook of every request."""
    app.before_request_funcs.setdefault(None, []).insert(0, check_body_size)
