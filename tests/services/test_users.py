"""Users: argon2id hashes with production parameters by default, credentials, validation."""

from __future__ import annotations

import argon2
import pytest

from tests.conftest import TEST_PASSWORD, test_settings
from tracker import create_app
from tracker.services.errors import ValidationFailed
from tracker.services.passwords import hash_password, verify_password
from tracker.services.users import authenticate, create_user


def test_default_profile_meets_asvs(db_url):
    app = create_app(
        {k: v for k, v in test_settings(db_url).items() if k != "PASSWORD_HASH_PROFILE"}
    )
    with app.app_context():
        stored = hash_password("a long enough password")
        assert verify_password(stored, "a long enough password")
    params = argon2.extract_parameters(stored)
    assert params.type is argon2.Type.ID
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2
    assert (params.memory_cost, params.time_cost, params.parallelism) == (65536, 3, 4)


def test_password_is_never_stored_in_clear(officer):
    assert TEST_PASSWORD not in officer.password_hash
    assert officer.password_hash.startswith("$argon2id$")


def test_authenticate_gives_no_hint(officer):
    assert authenticate(officer.email.upper(), TEST_PASSWORD).id == officer.id
    assert authenticate(officer.email, "wrong password") is None
    assert authenticate("nobody@example.org", TEST_PASSWORD) is None


def test_inactive_user_cannot_authenticate(officer):
    from tracker.extensions import db

    officer.active = False
    db.session.commit()
    assert authenticate(officer.email, TEST_PASSWORD) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"role": "superuser"}, "role"),
        ({"role": "agency"}, "agency_id"),
        ({"role": "representative"}, "organisation_id"),
        ({"language": "fr"}, "language"),
        ({"email": "a@example.org\r\nBcc: x@example.org"}, "email"),
    ],
)
def test_invalid_users_are_refused(app, fields, field):
    data = {"email": "new@example.org", "password": TEST_PASSWORD, "role": "officer", **fields}
    with pytest.raises(ValidationFailed) as failed:
        create_user(**data)
    assert field in failed.value.errors


def test_duplicate_email_is_refused_whatever_the_case(officer):
    with pytest.raises(ValidationFailed) as failed:
        create_user(officer.email.upper(), TEST_PASSWORD, "officer")
    assert failed.value.errors["email"] == ["A user with this email already exists."]


def test_racing_creations_of_one_email_make_one_user_and_clear_errors(app):
    from sqlalchemy import func, select

    from tests.support import run_together
    from tracker.extensions import db
    from tracker.models import User

    results = run_together(
        8, lambda i: create_user("same@example.org", TEST_PASSWORD, "officer").id, app
    )
    created = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(created) == 1 and len(refused) == 7, results
    assert all(r.errors == {"email": ["A user with this email already exists."]} for r in refused)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
