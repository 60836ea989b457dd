"""QUALITY security 7: login and token limits hold across processes when kept in Redis.

Two server processes share ``RATELIMIT_STORAGE_URI=redis://…``; attempts alternate between
them and the N+1st is refused with 429. With ``memory://`` each process counts alone and the same
attempts all pass — which is why production must point the limiter at Redis. While Redis is
down, each process counts alone again rather than failing the requests.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.conftest import test_settings as settings_for_tests
from tests.faults.fault_servers import Answer, Server, Servers
from tests.faults.fault_support import OFFICER_EMAIL, csrf_token, free_port
from tracker import create_app
from tracker.extensions import db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = 3
WRONG = {"email": OFFICER_EMAIL, "password": "not the password"}


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in the test Redis; its keys are deleted afterwards."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        client.ping()
    except Exception as exc:  # no package or no server: say which
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test but Redis at {REDIS_URL} is unusable: {exc!r}")
        pytest.skip(f"no Redis at {REDIS_URL} (scripts/ensure-redis.sh starts one): {exc!r}")
    prefix = f"tracker-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def token_attempt(server: Server) -> Answer:
    """Ask for an API token with a wrong password."""
    return server.request("POST", "/api/v1/auth/token", WRONG)


def login_attempt(server: Server) -> Answer:
    """Send the web login form (with its CSRF token and cookie) with a wrong password."""
    page = server.request("GET", "/login")
    cookie = page.headers["set-cookie"].split(";", 1)[0]
    form = urlencode({**WRONG, "csrf_token": csrf_token(page.text)})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    return server.request("POST", "/login", raw=form, headers=headers)


def alternate(servers: list[Server], attempt, times: int) -> list[Answer]:
    """Make the attempts one after the other, on each server in turn."""
    return [attempt(servers[number % len(servers)]) for number in range(times)]


def two_servers(servers: Servers, url: str, storage: str, prefix: str) -> list[Server]:
    """Two processes of the app with limits of LIMIT a minute kept in ``storage``."""
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": prefix,
        "API_TOKEN_RATE_LIMIT": f"{LIMIT} per minute",
        "LOGIN_RATE_LIMIT": f"{LIMIT} per minute",
    }
    return servers.start_many(2, url, **settings)


def test_limits_kept_in_redis_hold_across_two_processes(shared_app, servers, redis_prefix):
    both = two_servers(
        servers, shared_app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL, redis_prefix
    )
    tokens = alternate(both, token_attempt, LIMIT + 1)
    assert [answer.status for answer in tokens] == [401] * LIMIT + [429]
    assert tokens[-1].json()["status"] == 429
    assert int(tokens[-1].headers["retry-after"]) > 0
    logins = alternate(both, login_attempt, LIMIT + 1)
    assert [answer.status for answer in logins] == [401] * LIMIT + [429]
    assert "text/html" in logins[-1].headers["content-type"]


def test_limits_kept_in_memory_are_per_process(shared_app, servers):
    url = shared_app.config["SQLALCHEMY_DATABASE_URI"]
    both = two_servers(servers, url, "memory://", "memory")
    tokens = alternate(both, token_attempt, LIMIT + 1)
    assert [answer.status for answer in tokens] == [401] * (LIMIT + 1)


def test_while_redis_is_down_limits_are_counted_per_process_not_failed(app):
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    served = create_app(
        settings_for_tests(
            app.config["SQLALCHEMY_DATABASE_URI"],
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=unreachable,
            API_TOKEN_RATE_LIMIT=f"{LIMIT} per minute",
        )
    )
    client = served.test_client()
    statuses = [client.post("/api/v1/auth/token", json=WRONG).status_code for _ in range(LIMIT + 1)]
    assert statuses == [401] * LIMIT + [429]
    with served.app_context():
        db.engine.dispose()
