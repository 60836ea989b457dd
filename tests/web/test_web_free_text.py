"""Control characters in the case page's free texts: a message beside the field, in English and
Khmer, and nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.web.conftest import post_form
from tests.web.test_web_case_page import fire, state_of
from tracker.extensions import db
from tracker.models import Comment, User

KHMER_MESSAGE = "មិនត្រូវមានតួអក្សរបញ្ជាទេ។"


def _speak_khmer(user: User) -> None:
    user.language = "km"
    db.session.commit()


def _note(client, officer, reference):
    return fire(client, reference, "analyse", owner_id=officer.id, note="Paid\x1b[2J late")


def _comment(client, officer, reference):
    return post_form(client, f"/cases/{reference}/comments", {"body": "More\x07 workers"})


@pytest.mark.parametrize(("send", "error_id"), [(_note, "analyse-note"), (_comment, "body")])
@pytest.mark.parametrize("khmer", [False, True])
def test_free_text_with_a_control_character_is_refused_beside_the_field(
    client, login, officer, make_case, send, error_id, khmer
):
    if khmer:
        _speak_khmer(officer)
    login(officer)
    reference = make_case().case.reference
    answer = send(client, officer, reference)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert f'id="{error_id}-error"' in html
    assert (KHMER_MESSAGE if khmer else "Must not contain control characters.") in html
    assert state_of(reference) == "logged"
    assert db.session.scalar(select(func.count(Comment.id))) == 0
