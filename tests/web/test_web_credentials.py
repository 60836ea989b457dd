"""Every credential change ends the user's old web session and old bearer token.

Each change is made through real requests (web forms, the API, the emailed link); the user's
session cookie and token from before are then replayed and must fail: the page sends to the
login, the API answers 401. Re-enabling a disabled user revives neither.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from tests.conftest import TEST_PASSWORD
from tests.web.accounts_support import SignedIn, new_client, outbox_link, sign_in
from tests.web.conftest import post_form, post_login
from tracker.models import User

NEW_PASSWORD = "a brand new passphrase"


def _edit(user: User, **changes: str) -> dict[str, str]:
    """The admin edit form of a user, as it is, with some fields changed."""
    fields = {"name": user.name, "role": user.role, "language": user.language, "active": "y"}
    return {**fields, "agency_id": "", "organisation_id": "", **changes}


def own_password_on_the_web(app: Flask, admin: SignedIn, user: User, old: SignedIn) -> None:
    form = {
        "current_password": TEST_PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    assert post_form(old.web, "/account", form).status_code == 302
    assert old.web_works()  # the session that changed it goes on, with a new cookie


def own_password_through_the_api(app: Flask, admin: SignedIn, user: User, old: SignedIn) -> None:
    body = {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}
    headers = {"Authorization": f"Bearer {old.token}"}
    assert old.web.post("/api/v1/auth/password", json=body, headers=headers).status_code == 204


def password_set_by_an_admin(app: Flask, admin: SignedIn, user: User, old: SignedIn) -> None:
    headers = {"Authorization": f"Bearer {admin.token}"}
    answer = admin.web.patch(
        f"/api/v1/users/{user.id}", json={"password": NEW_PASSWORD}, headers=headers
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)


def reset_sent_by_an_admin(app: Flask, admin: SignedIn, user: User, old: SignedIn) -> None:
    assert post_form(admin.web, f"/admin/users/{user.id}/reset-password").status_code == 302
    assert post_login(new_client(app), user.email).status_code == 401  # old password is gone
    _use_link(app, outbox_link("password_reset", user.email))


def reset_by_email(app: Flask, admin: SignedIn, user: User, old: SignedIn) -> None:
    anonymous = new_client(app)
    assert post_form(anonymous, "/password/forgot", {"email": user.email}).status_code == 302
    _use_link(app, outbox_link("password_reset", user.email))


def role_change(app: Flask, admin: SignedIn, user: User, old: SignedIn) -> None:
    assert (
        post_form(admin.web, f"/admin/users/{user.id}", _edit(user, role="admin")).status_code
        == 302
    )


def disable_and_enable_again(app: Flask, admin: SignedIn, user: User, old: SignedIn) -> None:
    disabled = _edit(user)
    del disabled["active"]
    assert post_form(admin.web, f"/admin/users/{user.id}", disabled).status_code == 302
    assert not old.web_works() and not old.token_works()
    assert post_form(admin.web, f"/admin/users/{user.id}", _edit(user)).status_code == 302


def log_out_everywhere(app: Flask, admin: SignedIn, user: User, old: SignedIn) -> None:
    other = sign_in(app, user)
    assert post_form(other.web, "/account/logout-everywhere").status_code == 302
    assert not other.web_works() and not other.token_works()


def _use_link(app: Flask, path: str) -> None:
    visitor = new_client(app)
    assert visitor.get(path).status_code == 200
    answer = post_form(visitor, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert answer.status_code == 302 and answer.headers["Location"] == "/login"


CHANGES: list[Callable[[Flask, SignedIn, User, SignedIn], None]] = [
    own_password_on_the_web,
    own_password_through_the_api,
    password_set_by_an_admin,
    reset_sent_by_an_admin,
    reset_by_email,
    role_change,
    disable_and_enable_again,
    log_out_everywhere,
]
CHANGES_PASSWORD = {
    own_password_on_the_web,
    own_password_through_the_api,
    password_set_by_an_admin,
    reset_sent_by_an_admin,
    reset_by_email,
}


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_old_session_and_old_token_fail_after_the_change(app, make_user, change) -> None:
    admin = sign_in(app, make_user("admin"))
    user = make_user("officer")
    old = sign_in(app, user)
    stolen = old.web.get_cookie("session").value
    change(app, admin, user, old)

    replay = new_client(app)
    replay.set_cookie("session", stolen)
    assert replay.get("/cases").status_code == 302  # to the login page
    assert not SignedIn(replay, old.token).token_works()
    if change in CHANGES_PASSWORD:
        assert post_login(new_client(app), user.email, TEST_PASSWORD).status_code == 401
        sign_in(app, user, NEW_PASSWORD)
    else:
        sign_in(app, user)  # the password itself still works
    assert admin.web_works() and admin.token_works()  # nobody else was signed out


def test_a_wrong_current_password_is_refused_in_the_readers_language(app, make_user) -> None:
    user = make_user("officer", language="km")
    signed = sign_in(app, user)
    form = {
        "current_password": "not my password",
        "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    answer = post_form(signed.web, "/account", form)
    assert answer.status_code == 422
    assert "ពាក្យសម្ងាត់បច្ចុប្បន្នមិនត្រឹមត្រូវទេ។" in answer.get_data(as_text=True)
    assert signed.web_works() and signed.token_works()  # nothing changed
    sign_in(app, user)


def test_a_mistyped_repeat_changes_no_password_in_the_readers_language(app, make_user) -> None:
    """/account with the new password typed differently twice: 422 beside the field."""
    user = make_user("officer", language="km")
    signed = sign_in(app, user)
    form = {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm": "typo"}
    answer = post_form(signed.web, "/account", form)
    assert answer.status_code == 422
    assert 'id="confirm-error"' in answer.get_data(as_text=True)
    assert "ពាក្យសម្ងាត់ទាំងពីរខុសគ្នា" in answer.get_data(as_text=True)
    assert signed.web_works() and signed.token_works()  # nothing changed
    sign_in(app, user)  # the old password still works
