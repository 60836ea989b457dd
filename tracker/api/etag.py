"""ETags of cases from their version; If-Match read back into the version the client saw."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from werkzeug.exceptions import BadRequest, PreconditionRequired

from tracker.services.text_checks import whole_number_text

# A version no case has: an If-Match that names no version of this case is simply stale.
UNKNOWN_VERSION = -1

IF_MATCH_REQUIRED = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The case's ETag from your last read; 412 if stale, 428 if missing.",
    "schema": {"type": "string"},
}
IF_MATCH_OPTIONAL = {**IF_MATCH_REQUIRED, "required": False}
ETAG_HEADER = {"ETag": {"description": "The case's version tag.", "schema": {"type": "string"}}}


def case_etag(view: dict[str, Any]) -> str:
    """The strong ETag value (unquoted) of a case view: reference and version."""
    return f"{view['reference']}.{view['version']}"


def with_etag(response: Response, view: dict[str, Any]) -> Response:
    """Set the case's ETag on a response."""
    response.set_etag(case_etag(view))
    return response


def expected_version(reference: str, *, required: bool) -> int | None:
    """The version named by If-Match (None for '*' or, when optional, no header).

    A missing header answers 428 when required; a header that holds no entity tag at all is
    400; a tag of another version or case (``""``, a weak ``W/"…"`` tag, which If-Match never
    matches) gives a version that will not match, so the service answers 412 (or 404 for an
    invisible case).
    """
    if not request.headers.get("If-Match", "").strip():
        if required:
            raise PreconditionRequired("Send If-Match with the ETag of the case you read.")
        return None
    condition = request.if_match
    if condition.star_tag:
        return None
    tags = condition.as_set(include_weak=True)
    if not tags:
        raise BadRequest('If-Match must be "*" or a list of quoted entity tags.')
    for tag in condition.as_set():
        prefix, _, number = (tag or "").rpartition(".")
        version = whole_number_text(number)
        if prefix.upper() == reference.upper() and version is not None:
            return version
    return UNKNOWN_VERSION
