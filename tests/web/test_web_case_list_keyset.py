"""The web case list's Next link seeks by keyset; a stale or edited cursor shows the first page."""

from __future__ import annotations

import html
import re

from tests.web.test_web_case_list import references


def _next_link(page: str) -> str:
    found = re.search(r'href="([^"]+)" rel="next"', page)
    assert found, "no Next link"
    return html.unescape(found.group(1))


def test_next_links_walk_the_list_by_cursor_and_keep_the_filters(client, login, officer,
                                                                 make_case):  # fmt: skip
    made = {make_case(title=f"Concern {n}", category="maternity").case.reference
            for n in range(30)}  # fmt: skip
    make_case(title="Other", category="healthcare")
    login(officer)
    first = client.get("/cases?category=maternity&sort=reference").get_data(as_text=True)
    link = _next_link(first)
    assert "cursor=" in link and "category=maternity" in link and "page=2" in link
    second = client.get(link).get_data(as_text=True)
    assert "Page 2 of 2" in second and 'rel="next"' not in second
    assert references(first) | references(second) == made
    assert not references(first) & references(second)


def test_an_edited_cursor_shows_the_first_page_with_a_message(client, login, officer, make_case):
    for n in range(3):
        make_case(title=f"Concern {n}")
    login(officer)
    page = client.get("/cases?cursor=garbage&page=4")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "no longer fits this list" in text and len(references(text)) == 3
