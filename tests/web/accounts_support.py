"""Helpers for the account tests: a user signed in both ways, and the links emails carry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from tests.web.conftest import IsolatedClient, post_login
from tracker.extensions import db
from tracker.models import User

LINK = re.compile(r"http://tracker\.test(/(?:invitation|password/reset)/[A-Za-z0-9_-]+)")


@dataclass
class SignedIn:
    """A web session (its cookie jar) and a bearer token of one user, both obtained for real."""

    web: FlaskClient
    token: str

    def web_works(self) -> bool:
        """The old session cookie still opens a page."""
        return self.web.get("/cases").status_code == 200

    def token_works(self) -> bool:
        """The old bearer token still answers."""
        headers = {"Authorization": f"Bearer {self.token}"}
        return self.web.get("/api/v1/cases", headers=headers).status_code == 200


def new_client(app: Flask) -> FlaskClient:
    """A client with its own cookie jar whose requests run in their own app context."""
    app.test_client_class = IsolatedClient
    return app.test_client()


def sign_in(app: Flask, user: User, password: str = TEST_PASSWORD) -> SignedIn:
    """Log in through /login and get a token through POST /api/v1/auth/token."""
    web = new_client(app)
    assert post_login(web, user.email, password).status_code == 302
    answer = web.post("/api/v1/auth/token", json={"email": user.email, "password": password})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    signed = SignedIn(web, answer.get_json()["token"])
    assert signed.web_works() and signed.token_works()
    return signed


def outbox_link(template: str, email: str) -> str:
    """The path of the link in the newest queued email of this kind to this address."""
    db.session.expire_all()
    row = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.template == template, OutboxMessage.recipient_email == email)
        .order_by(OutboxMessage.id.desc())
    )
    assert row is not None, f"no {template} email to {email}"
    match = LINK.match(row.context["link"])
    assert match, row.context["link"]
    return match.group(1)


def mailed_link(message) -> str:
    """The path of the one-time link in a received email (text and HTML parts agree)."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    links = set(LINK.findall(text))
    assert len(links) == 1 and links <= set(LINK.findall(html)), (text, html)
    return links.pop()
