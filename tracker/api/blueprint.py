"""The API's Blueprint: unknown query parameters are refused like unknown body fields."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    """A webargs parser that answers 422 for query parameters the route does not know."""

    DEFAULT_UNKNOWN_BY_LOCATION = {  # noqa: RUF012
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }


class ApiBlueprint(Blueprint):
    """A flask-smorest Blueprint with the strict parser."""

    ARGUMENTS_PARSER = StrictParser()
