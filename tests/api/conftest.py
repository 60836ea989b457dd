"""API test helpers: tokens issued through the service, a JSON client that sends them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import test_settings as settings_for_tests
from tracker import create_app
from tracker.extensions import db
from tracker.models import User
from tracker.services.tokens import issue_token_for


class ApiClient:
    """Send JSON requests to the API as one user (or anonymously)."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client = client
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The bearer header, plus any extras."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def request(self, method: str, path: str, json: Any = None, **kwargs: Any):
        """Send one request; ``json`` becomes the body."""
        headers = self.headers(kwargs.pop("headers", None))
        if json is not None:
            kwargs["json"] = json
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any):
        """GET a path."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any):
        """POST a JSON body."""
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any):
        """PATCH a JSON body."""
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any):
        """DELETE a path."""
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def token_for(app: Flask) -> Callable[[User], str]:
    """Issue a bearer token for a user through the token service (no password check: fast)."""

    def issue(user: User) -> str:
        return issue_token_for(user).token

    return issue


@pytest.fixture
def api_as(client: FlaskClient, token_for) -> Callable[[User | None], ApiClient]:
    """An API client acting as the given user (None: no token)."""

    def make(user: User | None) -> ApiClient:
        return ApiClient(client, token_for(user) if user is not None else None)

    return make


@pytest.fixture
def anonymous(client: FlaskClient) -> ApiClient:
    """An API client without a token."""
    return ApiClient(client, None)


@pytest.fixture
def limited_app(app: Flask, db_url: str) -> Iterator[Flask]:
    """A second app on the same database with rate limiting on: 2 requests a minute."""
    limited = create_app(
        settings_for_tests(
            db_url,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI="memory://",
            API_TOKEN_RATE_LIMIT="2 per minute",
            API_PUBLIC_RATE_LIMIT="2 per minute",
        )
    )
    yield limited
    with limited.app_context():
        db.engine.dispose()
