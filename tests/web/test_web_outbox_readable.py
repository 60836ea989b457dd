"""The outbox page in plain words: what each email is, what its status means, no internal keys,
and a notice when no mail server is configured."""

from __future__ import annotations

import pytest

from notifications.jobs import deliver


@pytest.fixture
def unsent(make_case):
    """An acknowledgement held as not sent (the tests run without a mail server)."""
    reference = make_case(raised_by_email="dara@example.org").case.reference
    deliver()
    return reference


def test_the_outbox_says_what_each_email_is_without_internal_keys(
    app, client, login, admin, unsent
):
    """The template's name and the raw error code stay out; words and the notice come in."""
    login(admin)
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert "Acknowledgement of a new concern" in html
    assert "case_logged" not in html and '<span class="tag">' not in html
    assert "Kept here because no mail server is configured" in html
    assert "data-no-mail-server" in html and "MAIL_SERVER" in html
    app.config["MAIL_ENABLED"] = True
    try:
        configured = client.get("/admin/outbox").get_data(as_text=True)
    finally:
        app.config["MAIL_ENABLED"] = False
    assert "data-no-mail-server" not in configured


@pytest.mark.browser
def test_the_outbox_fits_a_laptop_screen(tab_factory, admin, unsent):
    """At 1280 × 800 the table needs no sideways scrolling and every column has room."""
    tab = tab_factory(width=1280, height=800)
    tab.log_in(admin)
    tab.page.goto("/admin/outbox")
    assert tab.fits_width()
    widths = tab.page.eval_on_selector_all(
        ".outbox-table tbody tr:first-child td", "cells => cells.map(c => c.clientWidth)"
    )
    assert len(widths) == 5 and min(widths[:4]) >= 100, widths
    tab.shot("outbox-laptop")
