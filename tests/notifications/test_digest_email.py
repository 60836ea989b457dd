"""The weekly digest as its readers get it, taken from a real SMTP server (aiosmtpd on loopback):
greeting by name, counts in the subject and the first line, dates in the reader's language,
one link per case, and nothing for someone with nothing open."""

from __future__ import annotations

import re

from notifications.delivery import deliver
from notifications.digest import digest_for, queue_digests
from tests.notifications.conftest import local
from tracker.extensions import db
from tracker.services.cases import assign_case

MONDAY = local(3, 9, 8)  # the digest's hour, Monday 9 March 2026
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LATIN_DIGIT = re.compile(r"[0-9]")


def _owned(make_case, admin, owner, *, logged, title: str) -> str:
    """A case logged on a day and given to an owner that same day; its reference."""
    reference = make_case(now=logged, raised_by_email="", title=title).case.reference
    assign_case(admin, reference, owner.id, now=logged)
    return reference


def _digests(smtp, outbox_rows, email: str) -> list:
    """The digests the SMTP server received for one address (not the other emails)."""
    ids = {r.message_id for r in outbox_rows() if r.template.startswith("digest_")}
    return [m for m in smtp.handler.to(email) if m.message_id in ids]


def _parts(received) -> tuple[str, str, str]:
    message = received.message
    text = message.get_body(("plain",)).get_content()
    return str(message["Subject"]), text, message.get_body(("html",)).get_content()


def test_officer_digests_greet_count_date_and_link_in_the_readers_language(
    smtp, make_case, make_user, admin, outbox_rows
):
    sok = make_user("officer", name="Sok Dara", email="sok@example.org")
    thida = make_user("officer", name="ចាន់ ធីតា", email="thida@example.org", language="km")
    thida.khmer_digits = True
    db.session.commit()
    idle = make_user("officer", name="Idle Officer", email="idle@example.org")
    cases = {}
    for owner in (sok, thida):
        # Logged Monday 23 February: due 2 March, overdue by Monday 9 March.
        late = _owned(make_case, admin, owner, logged=local(2, 23, 9), title=f"Late {owner.id}")
        # Logged Thursday 5 March: due Thursday 12 March, this week.
        soon = _owned(make_case, admin, owner, logged=local(3, 5, 9), title=f"Soon {owner.id}")
        cases[owner.email] = (late, soon)

    queue_digests(MONDAY)
    deliver(MONDAY)

    assert smtp.handler.to(idle.email) == []  # nothing open, nothing changed: no digest
    assert _digests(smtp, outbox_rows, admin.email)  # the admin's cases with no owner: news
    assert digest_for(idle, MONDAY) is None

    [english] = _digests(smtp, outbox_rows, sok.email)
    subject, text, html = _parts(english)
    assert (
        subject == "Your cases this week: 1 overdue · 1 due this week · 0 assigned to you this week"
    )
    assert text.startswith(
        "Hello Sok Dara, this week you have 1 overdue · 1 due this week"
        " · 0 assigned to you this week."
    )
    assert "Mar 2, 2026" in text and "Mar 12, 2026" in text
    assert "5 working days overdue" in text  # 2 March to 9 March
    assert "Your next step: Analyse" in text  # logged: the workflow's next step for an officer
    for reference in cases[sok.email]:
        assert html.count(f'href="http://tracker.test/cases/{reference}"') == 1
        assert text.count(f"http://tracker.test/cases/{reference}") == 1
    assert text.index(cases[sok.email][0]) < text.index(cases[sok.email][1])  # overdue first

    [khmer] = _digests(smtp, outbox_rows, thida.email)
    subject, text, html = _parts(khmer)
    assert subject == "ករណីរបស់អ្នកសប្តាហ៍នេះ៖ ហួសកំណត់ ១ · ផុតកំណត់សប្តាហ៍នេះ ១ · ប្រគល់ឱ្យអ្នកសប្តាហ៍នេះ ០"
    assert text.startswith("សួស្តី ចាន់ ធីតា, សប្តាហ៍នេះអ្នកមាន៖ ហួសកំណត់ ១")
    assert "២ មីនា ២០២៦" in text and "១២ មីនា ២០២៦" in text  # Khmer months, Khmer digits
    for part in (text, html):
        assert not ISO_DATE.search(part)
    body = text.split("\n--\n")[0]
    without_links = re.sub(r"(http\S+|GRV-\d{4}-\d{5}|Late \d+|Soon \d+)", "", body)
    assert not LATIN_DIGIT.search(without_links)  # every count and date in Khmer digits
    for reference in cases[thida.email]:
        assert html.count(f'href="http://tracker.test/cases/{reference}"') == 1
        assert reference in text  # references keep their Latin digits: people type them


def test_digest_for_renders_a_preview_without_sending_or_marking(
    make_case, make_user, admin, outbox_rows
):
    sok = make_user("officer", name="Sok Dara")
    reference = _owned(make_case, admin, sok, logged=local(3, 5, 9), title="Soon")
    context = digest_for(sok, MONDAY)
    assert [c["reference"] for c in context["due_this_week"]["cases"]] == [reference]
    assert context["name"] == "Sok Dara" and context["week"] == {"year": 2026, "week": 11}
    assert [r for r in outbox_rows() if r.template.startswith("digest_")] == []
    assert queue_digests(MONDAY)["queued"] >= 1  # the preview claimed no week
