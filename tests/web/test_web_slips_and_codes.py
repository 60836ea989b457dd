"""Slips after intake and later, access-code reissue on the web, and the QR codes they print."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.qr_support import decode_svg
from tests.web.conftest import csrf_token, post_form
from tracker.extensions import db
from tracker.models import Case, Event

SLIP = re.compile(
    r'<article class="slip" lang="(\w+)" data-reference="([\w-]+)">(.*?)</article>', re.S
)


def slips_of(html: str) -> dict[str, tuple[str, str | None, str]]:
    """reference → (language, code printed or None, the QR's SVG)."""
    found = {}
    for language, reference, body in SLIP.findall(html):
        code = re.search(r'<code class="access-code">([\w-]+)</code>', body)
        svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
        found[reference] = (language, code.group(1) if code else None, svg)
    return found


def status_ok(client, reference: str, code: str) -> bool:
    response = client.post(
        "/status",
        data={"csrf_token": csrf_token(client), "reference": reference, "access_code": code},
    )
    return response.status_code == 200 and reference in response.get_data(as_text=True)


def intake(client, forum_id: int, rows: list[dict]) -> str:
    data = {
        f"rows-{index}-{name}": value
        for index, row in enumerate(rows)
        for name, value in row.items()
    }
    response = post_form(client, f"/intake/{forum_id}", data)
    assert response.status_code == 200, response.get_data(as_text=True)[-1500:]
    return response.get_data(as_text=True)


ROWS = [
    {"title": "Late maternity pay", "description": "d1", "category": "maternity"},
    {"title": "Card refused", "description": "d2", "category": "healthcare"},
    {"title": "Not registered", "description": "d3", "category": "contributions"},
]


def test_slips_after_intake_carry_each_code_and_a_qr_of_the_status_page(
    client, login, officer, forum
):
    login(officer)
    html = intake(client, forum.id, ROWS)
    slips = slips_of(html)
    cases = db.session.scalars(select(Case).order_by(Case.id)).all()
    assert set(slips) == {case.reference for case in cases}
    for case in cases:
        _language, code, svg = slips[case.reference]
        assert code and status_ok(client, case.reference, code)
        assert decode_svg(svg) == [f"http://tracker.test/status?reference={case.reference}"]
        assert case.title in html
    assert forum.title in html
    assert re.search(r"<button[^>]*data-print", html)  # a Print button (a phone has no menu)
    # The QR code's link opens the status page with the reference filled in.
    page = client.get(f"/status?reference={cases[0].reference}").get_data(as_text=True)
    assert f'value="{cases[0].reference}"' in page


def test_slips_are_in_the_raisers_language(client, login, officer, forum):
    from tracker.services.cases import log_case

    login(officer)
    khmer = log_case(
        officer,
        {
            "title": "ប័ណ្ណ",
            "description": "x",
            "category": "other",
            "forum_id": forum.id,
            "language": "km",
        },
    )
    html = client.get(f"/forums/{forum.id}/slips?references={khmer.case.reference}").get_data(
        as_text=True
    )
    language, _, _ = slips_of(html)[khmer.case.reference]
    assert language == "km"
    assert "លេខយោង" in html  # "Reference" in Khmer


def test_slips_printed_later_reissue_the_codes_and_the_old_ones_fail(client, login, officer, forum):
    login(officer)
    first = slips_of(intake(client, forum.id, ROWS))
    chosen = sorted(first)[:2]
    later = client.get(f"/forums/{forum.id}/slips?references={','.join(chosen)}")
    html = later.get_data(as_text=True)
    assert "Access codes are not kept" in html
    assert all(code is None for _, code, _ in slips_of(html).values())  # no code without reissue
    reissued = post_form(
        client, f"/forums/{forum.id}/slips", {"references": ",".join(chosen), "reissue": "1"}
    )
    html = reissued.get_data(as_text=True)
    assert "data-reissued" in html
    new = slips_of(html)
    assert set(new) == set(chosen)
    for reference in chosen:
        old_code, new_code = first[reference][1], new[reference][1]
        assert new_code and new_code != old_code
        assert not status_ok(client, reference, old_code)
        assert status_ok(client, reference, new_code)
        assert decode_svg(new[reference][2]) == [
            f"http://tracker.test/status?reference={reference}"
        ]
    untouched = next(ref for ref in first if ref not in chosen)
    assert status_ok(client, untouched, first[untouched][1])
    events = db.session.scalars(select(Event).where(Event.kind == "code_reissued")).all()
    assert len(events) == 2
    assert all(old not in str(e.data) + e.note for e in events for _, old, _ in new.values())


def test_slips_refuse_codes_that_are_not_the_cases(client, login, officer, forum):
    login(officer)
    first = slips_of(intake(client, forum.id, ROWS[:1]))
    (reference,) = first
    forged = post_form(
        client, f"/forums/{forum.id}/slips", {"references": reference, "codes": "AAAA-BBBB-CCCC"}
    )
    assert forged.status_code == 422


def test_slips_and_reissue_are_for_staff(client, login, representative, officer, forum, make_case):
    logged = make_case(forum_id=forum.id)
    login(representative)
    assert client.get(f"/forums/{forum.id}/slips").status_code == 403
    assert (
        client.get(f"/forums/{forum.id}/slips?references={logged.case.reference}").status_code
        == 403
    )
    response = post_form(client, f"/cases/{logged.case.reference}/access-code")
    assert response.status_code == 404  # a case they may not see is not found
    assert status_ok(client, logged.case.reference, logged.access_code)


def test_pick_page_lists_the_forums_cases(client, login, officer, forum, make_case):
    logged = make_case(forum_id=forum.id)
    login(officer)
    html = client.get(f"/forums/{forum.id}/slips").get_data(as_text=True)
    assert logged.case.reference in html
    picked = client.get(f"/forums/{forum.id}/slips?pick={logged.case.reference}")
    assert logged.case.reference in slips_of(picked.get_data(as_text=True))


def test_case_page_button_issues_a_new_code(client, login, officer, make_case):
    logged = make_case()
    login(officer)
    page = client.get(f"/cases/{logged.case.reference}").get_data(as_text=True)
    assert "Issue a new access code" in page
    response = post_form(client, f"/cases/{logged.case.reference}/access-code")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    new_code = re.search(r'<code class="access-code">([\w-]+)</code>', page).group(1)
    assert new_code != logged.access_code
    assert "Issued a new access code" in page
    assert not status_ok(client, logged.case.reference, logged.access_code)
    assert status_ok(client, logged.case.reference, new_code)


def test_with_telegram_set_up_each_slip_carries_a_second_qr_for_the_bot(
    app, client, login, officer, forum
):
    from tracker.services.telegram_tokens import case_of_token

    app.config.update(TELEGRAM_BOT_TOKEN="1:t", TELEGRAM_BOT_USERNAME="ForumTrackerBot")
    login(officer)
    html = intake(client, forum.id, ROWS[:1])
    [case] = db.session.scalars(select(Case)).all()
    body = next(b for _lang, ref, b in SLIP.findall(html) if ref == case.reference)
    status_svg, bot_svg = re.findall(r"<svg.*?</svg>", body, re.S)
    assert decode_svg(status_svg) == [f"http://tracker.test/status?reference={case.reference}"]
    [link] = decode_svg(bot_svg)
    assert link.startswith("https://t.me/ForumTrackerBot?start=")
    assert case_of_token(link.split("start=", 1)[1]).id == case.id
    # Without a bot configured, the slip has the status QR alone.
    app.config["TELEGRAM_BOT_TOKEN"] = ""
    html = intake(client, forum.id, [{**ROWS[1]}])
    assert all(len(re.findall(r"<svg", b)) == 1 for _l, _r, b in SLIP.findall(html))
