"""Form markup: fields without an error carry no aria-invalid or aria-describedby at all."""

from __future__ import annotations

import re

from tests.web.conftest import post_form

# WTForms writes a None attribute value out as the text "None"; screen readers then announce
# every field as invalid (ARIA treats an unknown aria-invalid value as "true").
NONE_ATTRIBUTE = re.compile(r'aria-[a-z]+="None"')


def test_fields_without_errors_have_no_none_aria_attributes(client, login, admin, forum):
    """The login, admin, deadline and intake forms name no "None" in an ARIA attribute."""
    assert not NONE_ATTRIBUTE.search(client.get("/login").get_data(as_text=True))
    login(admin)
    for url in ("/admin/users/new", "/admin/deadlines", f"/intake/{forum.id}", "/account"):
        html = client.get(url).get_data(as_text=True)
        assert 'class="input"' in html, url
        assert not NONE_ATTRIBUTE.search(html), url


def test_a_field_with_an_error_is_marked_invalid_and_described(client, login, admin):
    """A refused field still says aria-invalid="true" and points at its message."""
    login(admin)
    html = post_form(client, "/admin/users/new", {"email": "not-an-address"}).get_data(as_text=True)
    assert re.search(r'aria-describedby="email-error" aria-invalid="true"', html)
    assert not NONE_ATTRIBUTE.search(html)
