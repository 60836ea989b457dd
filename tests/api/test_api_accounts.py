"""Users invited over the API, passwords changed over it; bad input changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from notifications.models import OutboxMessage
from tests.conftest import TEST_PASSWORD
from tracker.extensions import db
from tracker.models import User


def test_a_user_created_without_password_is_invited(api_as, admin, anonymous):
    body = {"email": "Invited@Example.org", "role": "officer", "name": "Invited", "language": "km"}
    answer = api_as(admin).post("/api/v1/users", json=body)
    assert answer.status_code == 201 and answer.get_json()["email"] == "invited@example.org"
    (mail,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_email == "invited@example.org")
    ).all()
    assert (mail.template, mail.language) == ("account_invite", "km")
    assert mail.context["link"].startswith("http://tracker.test/invitation/")
    for password in ("", "!unset", TEST_PASSWORD):
        attempt = {"email": "invited@example.org", "password": password or "x"}
        assert anonymous.post("/api/v1/auth/token", json=attempt).status_code == 401


def test_a_short_password_is_refused_and_nothing_changes(api_as, admin, officer, token_for):
    token = token_for(officer)
    headers = {"Authorization": f"Bearer {token}"}
    as_admin = api_as(admin)
    short = as_admin.patch(
        f"/api/v1/users/{officer.id}", json={"password": "short", "role": "admin"}
    )
    assert short.status_code == 422
    assert short.get_json()["errors"] == {"password": ["Use at least 10 characters."]}
    unknown = as_admin.patch(f"/api/v1/users/{officer.id}", json={"email": "x@example.org"})
    assert unknown.status_code == 422 and "email" in unknown.get_json()["errors"]
    db.session.expire_all()
    assert db.session.get(User, officer.id).role == "officer"
    assert as_admin.client.get("/api/v1/cases", headers=headers).status_code == 200


def test_changing_your_password_needs_the_current_one(api_as, officer, token_for, anonymous):
    me = api_as(officer)
    wrong = me.post(
        "/api/v1/auth/password",
        json={"current_password": "not it", "new_password": "a good new passphrase"},
    )
    assert wrong.status_code == 422
    assert wrong.get_json()["errors"] == {
        "current_password": ["The current password is not correct."]
    }
    short = me.post(
        "/api/v1/auth/password", json={"current_password": TEST_PASSWORD, "new_password": "short"}
    )
    assert short.status_code == 422 and list(short.get_json()["errors"]) == ["new_password"]
    assert me.get("/api/v1/cases").status_code == 200  # nothing changed: the token still works
    good = {"current_password": TEST_PASSWORD, "new_password": "a good new passphrase"}
    assert me.post("/api/v1/auth/password", json=good).status_code == 204
    assert me.get("/api/v1/cases").status_code == 401
    login = {"email": officer.email, "password": "a good new passphrase"}
    assert anonymous.post("/api/v1/auth/token", json=login).status_code == 201


def test_moving_a_user_to_another_agency_ends_their_tokens_a_rename_does_not(
    api_as, admin, agency_user, other_agency, token_for
):
    token = token_for(agency_user)
    headers = {"Authorization": f"Bearer {token}"}
    as_admin = api_as(admin)
    path = f"/api/v1/users/{agency_user.id}"
    assert as_admin.patch(path, json={"name": "Focal point"}).status_code == 200
    assert as_admin.client.get("/api/v1/cases", headers=headers).status_code == 200
    assert as_admin.patch(path, json={"agency_id": other_agency.id}).status_code == 200
    assert as_admin.client.get("/api/v1/cases", headers=headers).status_code == 401
