"""QUALITY security 14: the audit trail records who, what, when and from where, and no table
ever holds a password or a token in clear.

Logins (right and wrong), token creation and revocation, users created and invited, passwords
set by an admin, chosen through an invitation, changed and reset by email, a case logged and
moved through the workflow, public lookups: then every text and JSON value of every table (the
admin trail included) is searched for each secret, one-time links too. A case's access code
and a password link may wait in their outbox row until the email is delivered (or marked
unsent), and nowhere else.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import MetaData, select

from notifications.delivery import deliver
from notifications.models import OutboxMessage
from tests.conftest import CASE_FIELDS
from tests.faults.fault_support import csrf_token, login_form
from tracker.extensions import db
from tracker.models import AuditEntry, Event, User, now_utc


class IsolatedClient(FlaskClient):
    """Each request in an app context of its own (fresh ``g`` and session), as in production."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def secret(kind: str) -> str:
    """A value that cannot occur in the database by accident."""
    return f"{kind}-{uuid.uuid4().hex}"


@dataclass
class Secrets:
    """Every clear secret the scenario handled, by what it was."""

    values: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, value: str) -> str:
        """Remember a secret; return it."""
        self.values[name] = value
        return value


def client_of(app: Flask) -> FlaskClient:
    """A test client whose requests do not share the test's app context."""
    app.test_client_class = IsolatedClient
    return app.test_client()


def api_token(app: Flask, email: str, password: str, secrets: Secrets, name: str) -> str:
    """Exchange credentials for a token through the API (after one wrong try)."""
    client = client_of(app)
    wrong = {"email": email, "password": secrets.add(f"wrong {name}", secret("wrong"))}
    assert client.post("/api/v1/auth/token", json=wrong).status_code == 401
    answer = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert answer.status_code == 201
    return secrets.add(f"token of {name}", answer.get_json()["token"])


def web_admin_session(app: Flask, admin: User, password: str, secrets: Secrets) -> FlaskClient:
    """An admin signed in on the web, after a wrong password."""
    web = client_of(app)
    wrong = secrets.add("wrong web", secret("wrong"))
    assert login_form(web, admin.email, wrong).status_code == 401
    assert login_form(web, admin.email, password).status_code == 302
    return web


def create_users(app: Flask, web: FlaskClient, admin_token: str, secrets: Secrets) -> str:
    """One officer created over the API with a password, which the admin then sets anew; one
    invited on the web form, who chooses a password through the emailed link, changes it over
    the API and resets it by email; return the first one's email."""
    officer = {"email": "officer.new@example.org", "role": "officer", "name": "New Officer"}
    officer["password"] = secrets.add("first officer password", secret("pw"))
    headers = {"Authorization": f"Bearer {admin_token}"}
    created = client_of(app).post("/api/v1/users", json=officer, headers=headers)
    assert created.status_code == 201
    officer["password"] = secrets.add("officer password", secret("pw"))
    path = f"/api/v1/users/{created.get_json()['id']}"
    set_by_admin = client_of(app).patch(
        path, json={"password": officer["password"]}, headers=headers
    )
    assert set_by_admin.status_code == 200
    form = {"email": "web.user@example.org", "name": "Web User", "role": "officer"}
    form |= {"language": "en", "active": "y", "agency_id": "", "organisation_id": ""}
    _post_form(web, "/admin/users/new", form)
    chosen = _use_emailed_link(app, "account_invite", form["email"], secrets, "invitation")
    changed = secrets.add("changed pw", secret("pw"))
    user = client_of(app)
    token = api_token(app, form["email"], chosen, secrets, "web user")
    body = {"current_password": chosen, "new_password": changed}
    answer = user.post(
        "/api/v1/auth/password", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 204
    assert login_form(client_of(app), form["email"], changed).status_code == 302
    _post_form(client_of(app), "/password/forgot", {"email": form["email"]})
    reset = _use_emailed_link(app, "password_reset", form["email"], secrets, "reset")
    assert login_form(client_of(app), form["email"], reset).status_code == 302
    return officer["email"]


def _use_emailed_link(app: Flask, template: str, email: str, secrets: Secrets, name: str) -> str:
    """Open the one-time link queued for the address and choose a password; return it."""
    row = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.template == template, OutboxMessage.recipient_email == email)
        .order_by(OutboxMessage.id.desc())
    )
    link = secrets.add(f"{name} link", row.context["link"])
    password = secrets.add(f"{name} password", secret("pw"))
    chosen = {"password": password, "confirm": password}
    _post_form(client_of(app), link.removeprefix("http://tracker.test"), chosen)
    return password


def _post_form(web: FlaskClient, path: str, data: dict[str, str]) -> None:
    token = csrf_token(web.get(path).get_data(as_text=True))
    answer = web.post(path, data={**data, "csrf_token": token})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:800]


def work_a_case(app: Flask, token: str, agency_id: int, secrets: Secrets) -> str:
    """Log a case, analyse, refer, comment and look it up publicly; return its reference."""
    client = client_of(app)
    headers = {"Authorization": f"Bearer {token}"}
    body = {k: CASE_FIELDS[k] for k in ("title", "description", "category", "raised_by_email")}
    created = client.post("/api/v1/cases", json=body, headers=headers).get_json()
    reference = created["reference"]
    secrets.add("access code", created["access_code"])
    owner = db.session.scalar(select(User.id).where(User.email == "officer.new@example.org"))
    for data in (
        {"trigger": "analyse", "owner_id": owner, "note": "Checked."},
        {"trigger": "refer", "agency_id": agency_id, "note": "Please answer."},
    ):
        path = f"/api/v1/cases/{reference}/transitions"
        assert client.post(path, json=data, headers=headers).status_code == 200
    comment = {"body": "Called the raiser back.", "internal": True}
    path = f"/api/v1/cases/{reference}/comments"
    assert client.post(path, json=comment, headers=headers).status_code == 201
    lookup = f"/api/v1/public/cases/{reference}?access_code={created['access_code']}"
    assert client.get(lookup).status_code == 200
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    return reference


def stored_text() -> dict[str, list[str]]:
    """Every non-empty text or JSON value of every table in the database, by table."""
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    found: dict[str, list[str]] = {}
    with db.engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(table.select()):
                found.setdefault(table.name, []).extend(_texts(row))
    return found


def _texts(row: Any) -> list[str]:
    texts = []
    for value in row:
        if isinstance(value, str | bytes):
            texts.append(value.decode(errors="replace") if isinstance(value, bytes) else value)
        elif isinstance(value, dict | list):
            texts.append(json.dumps(value, ensure_ascii=False))
    return texts


def where_stored(value: str) -> set[str]:
    """The tables holding the value anywhere in a text or JSON column."""
    return {table for table, texts in stored_text().items() if any(value in t for t in texts)}


def test_no_table_stores_a_password_or_token_in_clear(app, make_user, agency):
    secrets = Secrets()
    password = secrets.add("admin password", secret("pw"))
    admin = make_user("admin", password=password)
    admin_token = api_token(app, admin.email, password, secrets, "admin")
    web = web_admin_session(app, admin, password, secrets)
    officer_email = create_users(app, web, admin_token, secrets)
    officer_password = secrets.values["officer password"]
    officer_token = api_token(app, officer_email, officer_password, secrets, "officer")
    work_a_case(app, officer_token, agency.id, secrets)

    code = secrets.values["access code"]
    assert where_stored(code) == {"outbox"}  # waiting for the acknowledgement email
    assert where_stored(secrets.values["reset link"]) == {"outbox"}  # likewise
    deliver(now_utc())  # no mail server: marked unsent
    leaks = {name: where_stored(value) for name, value in secrets.values.items()}
    assert leaks == {name: set() for name in secrets.values}, leaks
    assert_audit_trail_complete()
    assert_admin_trail_complete()


def assert_audit_trail_complete() -> None:
    """Every event says who (but system events), when, and from where (requests)."""
    events = db.session.scalars(select(Event).where(Event.actor_id.is_not(None))).all()
    assert {event.kind for event in events} >= {"created", "assigned", "transition", "commented"}
    assert all(event.at is not None for event in events)
    assert all(event.remote_addr == "127.0.0.1" for event in events)


def assert_admin_trail_complete() -> None:
    """The admin trail holds the sign-ins and credential changes, with the address."""
    entries = db.session.scalars(select(AuditEntry)).all()
    actions = {entry.action for entry in entries}
    assert actions >= {
        "login",
        "login_failed",
        "token_issued",
        "token_revoked",
        "user_created",
        "user_invited",
        "password_set",
        "invitation_accepted",
        "password_changed",
        "password_reset_requested",
        "password_reset",
    }, actions
    assert all(entry.ip == "127.0.0.1" for entry in entries if entry.actor_label != "system")
