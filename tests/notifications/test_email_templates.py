"""One template per email kind, its words from the pages' catalog: every kind in both languages,
plain text and HTML from the same source; dates in the reader's language; confidential cases
shown by their reference and link only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notifications.email import render_email
from tests.notifications.test_outbox_admin import CONTEXT, SECTION

TEMPLATES = Path(__file__).resolve().parents[2] / "notifications" / "templates"
KINDS = sorted(p.stem for p in TEMPLATES.glob("*.html") if not p.name.startswith("_"))
KHMER = re.compile("[\u1780-\u17ff]")
SECRET_WORDS = ("Maternity", "Long story", "A note", "Not paid in May", "Paid in full")


def context_for(kind: str, **extra) -> dict:
    context = {**CONTEXT, "resolution_public": "Paid in full.", **extra}
    context["audience"] = "public" if kind in ("case_logged", "case_closed") else "staff"
    if kind == "digest_admin":
        context["unassigned"] = SECTION
    return context


def test_each_kind_has_one_template_and_no_language_copies():
    assert len(KINDS) == 17
    assert not [p.name for p in TEMPLATES.glob("*.*.*") if p.is_file()]  # no x.en.txt, x.km.html
    assert not list(TEMPLATES.glob("*.txt"))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_in_both_languages_from_its_one_template(app, kind):
    rendered = {lang: render_email(kind, lang, context_for(kind)) for lang in ("en", "km")}
    for lang, email in rendered.items():
        assert email.subject and "\n" not in email.subject
        assert email.html.lower().startswith("<!doctype html>")
        assert f'lang="{lang}"' in email.html and "<style" not in email.text
        assert 'style="' in email.html  # the layout's CSS is inlined (css-inline)
        assert bool(KHMER.search(email.subject + email.text)) is (lang == "km")
        # The same source: the first line of the text is the lead paragraph of the HTML.
        lead = email.text.splitlines()[0]
        assert lead and lead.replace("&", "&amp;").split(" ")[0] in email.html
    assert rendered["en"].text != rendered["km"].text
    khmer = rendered["km"]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", khmer.text + khmer.html)  # no ISO dates


def test_dates_follow_the_readers_language_and_digits(app):
    context = context_for("reminder_due_soon")
    assert "Mar 20, 2026" in render_email("reminder_due_soon", "en", context).subject
    assert "20 មីនា 2026" in render_email("reminder_due_soon", "km", context).subject
    khmer_digits = render_email("reminder_due_soon", "km", {**context, "khmer_digits": True})
    assert "២០ មីនា ២០២៦" in khmer_digits.subject and "GRV-2026-00042" in khmer_digits.subject


def test_a_referral_carries_its_note_and_due_date_in_the_agencys_language(app):
    context = context_for("case_referred", answer_url="http://tracker.test/referrals/answer/t")
    khmer = render_email("case_referred", "km", context)
    assert khmer.text.startswith("ករណី GRV-2026-00042 ត្រូវបានបញ្ជូនទៅ បេឡាជាតិ")
    assert "២០ មីនា ២០២៦" not in khmer.text and "20 មីនា 2026" in khmer.text
    assert "A note" in khmer.text and "A note" in khmer.html
    assert khmer.html.count('href="http://tracker.test/referrals/answer/t"') == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_confidential_case_shows_only_its_reference_and_link(app, kind):
    case = {**CONTEXT["case"], "confidential": True}
    section = {**SECTION, "cases": [{**SECTION["cases"][0], "confidential": True}]}
    context = context_for(
        kind, case=case, overdue=section, due_this_week=section, new=section, pending=section
    )
    context.update(changed=section, comment="Not paid in May.")
    if kind == "digest_admin":
        context["unassigned"] = section
    for lang in ("en", "km"):
        email = render_email(kind, lang, context)
        for part in (email.subject, email.text, email.html):
            assert not [word for word in SECRET_WORDS if word in part], (kind, lang)
        if kind not in ("account_invite", "password_reset"):
            assert "GRV-2026-00042" in email.text


def test_a_title_left_blank_still_reads_well(app):
    context = context_for("case_assigned", case={**CONTEXT["case"], "title": ""})
    email = render_email("case_assigned", "en", context)
    assert "Title" not in email.text and "Title" not in email.html
    assert email.text.startswith("Case GRV-2026-00042 is assigned to you. Please open it")
