"""Every SMS a raiser can get, rendered in both languages: its length and segment count are
those docs/channels.md gives (Khmer is UCS-2: 70 characters to a segment)."""

from __future__ import annotations

import re

import pytest

from notifications.segments import encoding, length, segments
from notifications.short_text import render_sms
from tests.notifications.conftest import ROOT
from tracker import codes
from tracker.workflow_registry import registry

DOC = ROOT / "docs" / "channels.md"
ROW = re.compile(r"^\| `(\w+)` \| ([\w/]+) \| (\w+) \| (\w+) \| (\d+) \| (\d+) \|$", re.M)


def raiser_messages() -> list[tuple[str, str, str, dict]]:
    """(workflow, trigger, template, action label) of every message a raiser can get."""
    found = [("case", "log", "case_logged", {})]
    for name in registry().names():
        for transition in registry().workflow(name).transitions:
            for notify in transition.notify:
                if "raiser" in notify.to:
                    found.append(
                        (name, transition.trigger, notify.template, dict(transition.label))
                    )
    return found


def context(workflow: str, action: dict, outcome: str) -> dict:
    """A row's context as the listeners write it, with the longest values a message takes."""
    return {
        "case": {
            "reference": "GRV-2026-00042",
            "title": "T",
            "state": "closed",
            "workflow": workflow,
            "due_at": None,
            "category": "healthcare",
            "priority": "normal",
            "province": "KH-12",
        },
        "audience": "public",
        "access_code": "ABCD-EFGH-JKMN",
        "outcome": outcome,
        "action": action,
        "note": "",
        "resolution": "",
        "data": {},
    }


def measured(app) -> set[tuple[str, str, str, str, int, int]]:
    """(template, workflow/trigger, language, encoding, longest length, segments) of each."""
    app.config["BASE_URL"] = "https://tracker.example.org"
    rows = set()
    for workflow, trigger, template, action in raiser_messages():
        for language in ("en", "km"):
            texts = [
                render_sms(template, language, context(workflow, action, outcome))
                for outcome in codes.OUTCOMES
            ]
            longest = max(texts, key=length)
            rows.add(
                (
                    template,
                    f"{workflow}/{trigger}",
                    language,
                    encoding(longest),
                    length(longest),
                    segments(longest),
                )
            )
    return rows


def test_the_documented_lengths_are_the_rendered_ones(app):
    documented = {
        (t, w, lang, enc, int(n), int(s)) for t, w, lang, enc, n, s in ROW.findall(DOC.read_text())
    }
    assert documented == measured(app)


def test_the_short_texts_fit_one_segment(app):
    assert {row[-1] for row in measured(app)} == {1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 160, ("gsm7", 1)),
        ("a" * 161, ("gsm7", 2)),
        ("€" * 80, ("gsm7", 1)),  # two septets each
        ("ក" * 70, ("ucs2", 1)),
        ("ក" * 71, ("ucs2", 2)),
        ("ក" * 134, ("ucs2", 2)),
        ("ក" * 135, ("ucs2", 3)),
    ],
)
def test_segments_follow_gsm7_and_ucs2(text, expected):
    assert (encoding(text), segments(text)) == expected


def test_every_raiser_message_renders_for_telegram_in_both_languages(app):
    from notifications.short_text import render_chat

    for workflow, _trigger, template, action in raiser_messages():
        for language in ("en", "km"):
            message = render_chat(template, language, context(workflow, action, "resolved"))
            assert "GRV-2026-00042" in message.text, (template, language)
            assert 0 < len(message.text) <= 4096
