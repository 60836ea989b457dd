"""Helpers of the related-cases tests (similar, links, merge): an API client as a user."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.conftest import ApiClient
from tracker.models import User
from tracker.services.tokens import issue_token_for


def api(client: FlaskClient, user: User | None) -> ApiClient:
    """An API client acting as the user (None: without a token)."""
    return ApiClient(client, issue_token_for(user).token if user is not None else None)
