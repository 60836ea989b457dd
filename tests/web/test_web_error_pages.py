"""Error pages speak the reader's language, Werkzeug's own messages included."""

from __future__ import annotations

from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    Gone,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
    TooManyRequests,
)

from tracker.web import messages

PAGE_ERRORS = (
    BadRequest,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Gone,
    RequestEntityTooLarge,
    TooManyRequests,
)


def test_werkzeugs_error_words_are_all_marked_for_the_catalog():
    marked = set(messages.SERVICE_MESSAGES)
    for error in PAGE_ERRORS:
        assert error.description in marked, error.__name__
        assert error().name in marked, error.__name__


def test_a_khmer_reader_gets_the_404_page_in_khmer(client, login, make_user):
    login(make_user("officer", language="km"))
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "រកមិនឃើញទំព័រនេះ" in html
    assert NotFound.description.split(".")[0] not in html


def test_an_english_reader_gets_the_404_page_in_english(client, login, make_user):
    login(make_user("officer", language="en"))
    html = client.get("/no-such-page").get_data(as_text=True)
    assert NotFound.description.split(".")[0] in html
    assert 'class="button" href="/"' in html  # staff go back to the dashboard
    assert 'class="button" href="/status"' not in html
