"""QUALITY security 13: production errors show no traceback; only trusted proxy hops are believed;
the session cookie is Secure when configured so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import CASE_FIELDS, TEST_PASSWORD
from tests.conftest import test_settings as settings_for_tests
from tests.faults.fault_support import login_form
from tracker import create_app
from tracker.api.auth import public
from tracker.config import settings_from_environment
from tracker.extensions import db
from tracker.models import Event
from tracker.services.tokens import issue_token_for

SECRET_DETAIL = "internal detail: /srv/tracker/secret.cfg line 42"
PEER = "10.0.0.1"  # the TCP peer: our reverse proxy, or the client itself without one
BODY = {key: CASE_FIELDS[key] for key in ("title", "description", "category")}


@pytest.fixture
def make_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """Build more apps on the test database with extra settings; their engines are disposed."""
    made: list[Flask] = []

    def make(**settings) -> Flask:
        other = create_app(settings_for_tests(app.config["SQLALCHEMY_DATABASE_URI"], **settings))
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def failing_app(db_url: str) -> Flask:
    """An app with production settings (no TESTING, no DEBUG) and two views that crash."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": db_url,
            "SECRET_KEY": "p" * 32,
            "PASSWORD_HASH_PROFILE": "cheapest",
        }
    )

    def crash():
        raise RuntimeError(SECRET_DETAIL)

    app.add_url_rule("/crash", "crash", crash)
    app.add_url_rule("/api/v1/crash", "api_crash", public(lambda: crash()))
    return app


def assert_no_internals(text: str) -> None:
    """Nothing of the exception reaches the client."""
    for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, 'File "', "werkzeug", "Debugger"):
        assert leak not in text


def test_production_errors_show_no_traceback(app: Flask, db_url: str):
    production = failing_app(db_url)
    assert not production.debug and not production.testing
    assert not production.config["PROPAGATE_EXCEPTIONS"]
    client = production.test_client()
    page = client.get("/crash")
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert_no_internals(page.get_data(as_text=True))
    problem = client.get("/api/v1/crash")
    assert problem.status_code == 500
    assert problem.mimetype == "application/problem+json"
    assert problem.get_json()["status"] == 500
    assert_no_internals(problem.get_data(as_text=True))
    with production.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("hops", "forwarded_for", "client_address"),
    [
        (0, "203.0.113.9", PEER),  # no proxy trusted: the header is the client's invention
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # our proxy appended the last entry
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
    ],
)
def test_audit_trail_records_the_address_from_trusted_hops_only(
    make_app, officer, hops, forwarded_for, client_address
):
    token = issue_token_for(officer).token
    served = make_app(TRUSTED_PROXY_HOPS=hops)
    answer = served.test_client().post(
        "/api/v1/cases",
        json=BODY,
        headers={"Authorization": f"Bearer {token}", "X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": PEER},
    )
    assert answer.status_code == 201
    created = db.session.scalar(select(Event).where(Event.kind == "created"))
    assert created.remote_addr == client_address


def token_attempts(served: Flask, forwarded_for: list[str]) -> list[int]:
    """Wrong-password token requests from the same peer, each with its X-Forwarded-For."""
    client = served.test_client()
    return [
        client.post(
            "/api/v1/auth/token",
            json={"email": "nobody@example.org", "password": "not the password"},
            headers={"X-Forwarded-For": value},
            environ_base={"REMOTE_ADDR": PEER},
        ).status_code
        for value in forwarded_for
    ]


def limited_app(make_app, hops: int) -> Flask:
    """An app trusting ``hops`` proxies, with 2 token attempts a minute per client."""
    return make_app(
        TRUSTED_PROXY_HOPS=hops,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        API_TOKEN_RATE_LIMIT="2 per minute",
    )


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(make_app):
    forged = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    assert token_attempts(limited_app(make_app, 0), forged) == [401, 401, 429]


def test_behind_one_proxy_the_limit_counts_per_client_address(make_app):
    served = limited_app(make_app, 1)
    three_clients = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    assert token_attempts(served, three_clients) == [401, 401, 401]
    # one client writing its own first entries is still the same client to our proxy
    one_client = [f"192.0.2.{n}, 203.0.113.4" for n in range(3)]
    assert token_attempts(served, one_client) == [401, 401, 429]


def test_forwarded_proto_counts_only_from_a_trusted_proxy(make_app):
    https = {"X-Forwarded-Proto": "https"}
    direct = make_app(TRUSTED_PROXY_HOPS=0).test_client().get("/login", headers=https)
    assert "Strict-Transport-Security" not in direct.headers
    proxied = make_app(TRUSTED_PROXY_HOPS=1).test_client().get("/login", headers=https)
    assert "Strict-Transport-Security" in proxied.headers


def session_cookie(served: Flask, email: str) -> str:
    """The Set-Cookie header of a successful login."""
    answer = login_form(served.test_client(), email, TEST_PASSWORD)
    assert answer.status_code == 302
    (cookie,) = [v for v in answer.headers.getlist("Set-Cookie") if v.startswith("session=")]
    return cookie


def test_session_cookie_is_secure_when_configured(make_app, officer, tmp_path):
    plain = session_cookie(make_app(), officer.email)  # `make run`: plain http on 127.0.0.1
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    env = {"SECRET_KEY": "s" * 32, "SESSION_COOKIE_SECURE": "1"}
    setting = settings_from_environment(str(tmp_path), env)["SESSION_COOKIE_SECURE"]
    secure = session_cookie(make_app(SESSION_COOKIE_SECURE=setting), officer.email)
    assert "Secure" in secure and "HttpOnly" in secure


def test_production_settings_are_read_from_the_environment(tmp_path):
    env = {
        "SECRET_KEY": "s" * 32,
        "TRUSTED_PROXY_HOPS": "1",
        "DATABASE_CONNECT_TIMEOUT": "7",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    }
    settings = settings_from_environment(str(tmp_path), env)
    assert settings["TRUSTED_PROXY_HOPS"] == 1
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert settings["SESSION_COOKIE_SECURE"] is False
    defaults = settings_from_environment(str(tmp_path), {"SECRET_KEY": "s" * 32})
    assert defaults["TRUSTED_PROXY_HOPS"] == 0
    assert defaults["DATABASE_CONNECT_TIMEOUT"] == 5
    served = create_app({**settings, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://h/db"})
    options = served.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"]["connect_timeout"] == 7
    assert options["pool_pre_ping"] is True
