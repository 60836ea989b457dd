"""The API's Blueprint: unknown query parameters are refused like unknown body fields."""

from __future__ import annotations

import json
from typing import Any

from flask import Request
from flask_smorest import Blueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    """A webargs parser that answers 422 for query parameters the route does not know and 400
    for any body that is not JSON it can read."""

    DEFAULT_UNKNOWN_BY_LOCATION = {  # noqa: RUF012
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }

    def _raw_load_json(self, req: Request) -> Any:
        """Read the body; JSON the decoder gives up on (too deeply nested, an integer of more
        digits than ``int()`` reads) is invalid JSON (400) like any other, not a 500."""
        try:
            return super()._raw_load_json(req)
        except (RecursionError, ValueError) as exc:
            if isinstance(exc, json.JSONDecodeError):
                raise
            # A non-empty doc: webargs reads an empty one as "no body" rather than bad JSON.
            raise json.JSONDecodeError(str(exc)[:200], "(not shown)", 0) from exc


class ApiBlueprint(Blueprint):
    """A flask-smorest Blueprint with the strict parser."""

    ARGUMENTS_PARSER = StrictParser()
