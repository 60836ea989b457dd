"""Bearer tokens: issued for credentials, stored hashed, expiring, revocable; 401 as JSON."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from tracker.extensions import db
from tracker.models import ApiToken, now_utc
from tracker.services.credentials import revoke_credentials
from tracker.services.tokens import hash_token, issue_token_for


def test_token_for_good_credentials_is_stored_only_as_a_hash(client, officer):
    answer = client.post(
        "/api/v1/auth/token", json={"email": officer.email.upper(), "password": TEST_PASSWORD}
    )
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["token_type"] == "Bearer"
    rows = db.session.scalars(select(ApiToken)).all()
    assert [row.token_hash for row in rows] == [hash_token(body["token"])]
    assert body["token"] not in rows[0].token_hash
    lifetime = rows[0].expires_at - rows[0].created_at
    assert lifetime == timedelta(hours=12)
    me = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200


def test_wrong_password_and_unknown_email_answer_alike(client, officer):
    wrong_password = client.post(
        "/api/v1/auth/token", json={"email": officer.email, "password": "not the password"}
    )
    unknown_email = client.post(
        "/api/v1/auth/token", json={"email": "nobody@example.org", "password": TEST_PASSWORD}
    )
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.get_json() == unknown_email.get_json()
    assert wrong_password.mimetype == "application/problem+json"
    assert "password" in wrong_password.get_json()["detail"]  # names both parts, blames neither
    assert "email" in wrong_password.get_json()["detail"]
    assert db.session.scalar(select(ApiToken)) is None


def status_with(client, token: str) -> int:
    """The status of listing cases with this bearer token."""
    return client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code


def test_disabled_user_gets_no_token_and_their_tokens_stop_working(client, officer, token_for):
    token = token_for(officer)
    officer.active = False
    db.session.commit()
    refused = client.post(
        "/api/v1/auth/token", json={"email": officer.email, "password": TEST_PASSWORD}
    )
    assert refused.status_code == 401
    assert status_with(client, token) == 401


def test_expired_and_revoked_tokens_are_refused(client, officer):
    expired = issue_token_for(officer, now=now_utc() - timedelta(hours=13)).token
    live = issue_token_for(officer).token
    other = issue_token_for(officer).token
    assert status_with(client, expired) == 401
    assert status_with(client, live) == 200

    revoked = client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {live}"})
    assert revoked.status_code == 204
    assert status_with(client, live) == 401
    assert status_with(client, other) == 200

    assert revoke_credentials(officer) == 2  # the expired one and the other live one
    db.session.commit()
    assert status_with(client, other) == 401


def test_missing_or_malformed_credentials_answer_401_json_never_a_redirect(client, officer):
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer not-a-token"},
    ):
        answer = client.get("/api/v1/cases/GRV-2026-00001", headers=headers)
        assert answer.status_code == 401
        assert answer.mimetype == "application/problem+json"
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert "Location" not in answer.headers
        assert answer.get_json()["status"] == 401


def test_token_endpoint_needs_json(client, officer):
    answer = client.post(
        "/api/v1/auth/token", data=f"email={officer.email}&password={TEST_PASSWORD}"
    )
    assert answer.status_code == 415
    assert answer.mimetype == "application/problem+json"
