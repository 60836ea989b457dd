"""Web test helpers: log in through the real form and post forms with their CSRF token."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import TEST_PASSWORD, test_settings
from tracker import create_app
from tracker.extensions import db
from tracker.models import Case, User

TOKEN = re.compile(
    r'name="(?:[\w-]+-)?csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


class IsolatedClient(FlaskClient):
    """Each request in an app context of its own, as in production: a fresh ``g`` (Flask-Login
    and Flask-WTF cache there) and its own database session, not the test's."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client whose requests do not share the test's app context."""
    app.test_client_class = IsolatedClient
    return app.test_client()


def csrf_token(client: FlaskClient, page: str = "/status") -> str:
    """The session's CSRF token, read from a page's form as a browser would."""
    html = client.get(page).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: dict | None = None, **kwargs):
    """POST a form with the session's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def post_login(client: FlaskClient, email: str, password: str = TEST_PASSWORD, url="/login"):
    """Send the login form as a browser would (with the token from the login page)."""
    data = {"csrf_token": csrf_token(client, "/login"), "email": email, "password": password}
    return client.post(url, data=data)


def fire(client: FlaskClient, reference: str, trigger: str, **fields):
    """Submit one transition form as the page names its fields."""
    version = db.session.scalar(db.select(Case.version).where(Case.reference == reference))
    data = {f"{trigger}-{name}": value for name, value in fields.items()}
    data[f"{trigger}-version"] = str(version)
    return post_form(client, f"/cases/{reference}/transitions/{trigger}", data)


def state_of(reference: str) -> str | None:
    """The case's state as stored now."""
    db.session.expire_all()
    return db.session.scalar(db.select(Case.state).where(Case.reference == reference))


def forms_on(html: str) -> set[str]:
    """The triggers whose forms a page shows."""
    return set(re.findall(r'/transitions/(\w+)"', html))


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., FlaskClient]:
    """Log a user in through /login; returns the client."""

    def log_in(user: User, password: str = TEST_PASSWORD) -> FlaskClient:
        response = post_login(client, user.email, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return log_in


# --- Browser tests: the app served on 127.0.0.1, Debian's chromium driven by Playwright ---

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def live_server(db_url: str) -> Iterator[str]:
    """The app over HTTP on 127.0.0.1 (a thread of this process), on the tests' database."""
    server_app = create_app(test_settings(db_url))
    server = make_server("127.0.0.1", 0, server_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with server_app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless chromium for the whole run."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (run scripts/ensure-browser.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Tab:
    """A browser page that records JavaScript and console errors and saves screenshots."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message) -> None:
        # A page answered 404 or 422 on purpose is not a fault; failed subresources are caught
        # (with their URL) by _response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} {response.url}")

    def shot(self, name: str) -> None:
        """Save a full-page screenshot for people to look at (test-artifacts/, not committed)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def log_in(self, user: User, password: str = TEST_PASSWORD) -> None:
        """Log in through the form."""
        self.page.goto("/login")
        self.page.fill("#email", user.email)
        self.page.fill("#password", password)
        self.page.click("form:has(#password) button[type=submit]")
        self.page.wait_for_url(lambda url: "/login" not in url)

    def fits_width(self) -> bool:
        """Tell whether the page needs no sideways scrolling."""
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def tab_factory(browser: Browser, live_server: str, app) -> Iterator[Callable[..., Tab]]:
    """Open tabs (each its own cookie jar); fail the test on any JavaScript or console error."""
    contexts, tabs = [], []

    def open_tab(width: int = 1280, height: int = 900) -> Tab:
        context = browser.new_context(
            base_url=live_server, viewport={"width": width, "height": height}
        )
        # Generous: a live server on a loaded 2-core machine can take seconds to answer.
        context.set_default_timeout(30_000)
        contexts.append(context)
        tab = Tab(context.new_page())
        tabs.append(tab)
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    errors = [error for tab in tabs for error in tab.errors]
    assert not errors, errors
