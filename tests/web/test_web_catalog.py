"""The Khmer catalog is complete, compiled, and keeps every placeholder."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tracker.web.i18n import KHMER_PO

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def extracted_messages(root: Path = ROOT) -> set[str]:
    """Every message the templates (pages and emails) and the Python code mark for translation,
    found under ``root`` by the project's babel.cfg."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def untranslated(messages: set[str]) -> list[str]:
    """The messages the Khmer catalog has no (complete) translation for."""
    catalog = khmer_catalog()
    missing = []
    for text in sorted(messages):
        entry = catalog.get(text)
        strings = entry.string if entry is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or not all(s.strip() for s in strings):
            missing.append(text)
    return missing


def khmer_catalog():
    with KHMER_PO.open("rb") as source:
        return read_po(source)


def test_every_ui_message_has_a_khmer_translation():
    messages = extracted_messages()
    assert len(messages) > 200  # the extraction really ran over templates and code
    assert "Hello %(name)s, this week you have %(counts)s." in messages  # the emails' words too
    missing = untranslated(messages)
    assert not missing, f"untranslated messages: {missing}"


def test_the_check_catches_an_untranslated_email_string(tmp_path):
    # A copy of one email template with a sentence nobody translated: the check names it.
    emails = tmp_path / "notifications" / "templates"
    emails.mkdir(parents=True)
    source = (ROOT / "notifications" / "templates" / "case_assigned.html").read_text()
    added = "A deliberately untranslated email sentence."
    (emails / "case_assigned.html").write_text(source + f'{{{{ _("{added}") }}}}\n')
    found = extracted_messages(tmp_path)
    assert "Case %(reference)s is assigned to you" in found  # the email template was read
    assert untranslated(found) == [added]


def test_khmer_translations_keep_every_placeholder():
    for entry in khmer_catalog():
        if not entry.id:
            continue
        source = entry.id[-1] if isinstance(entry.id, tuple) else entry.id
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), source


def test_compiled_catalog_matches_its_source():
    with KHMER_PO.with_suffix(".mo").open("rb") as compiled:
        mo = {_key(e.id): _key(e.string) for e in read_mo(compiled) if e.id}
    po = {_key(e.id): _key(e.string) for e in khmer_catalog() if e.id}
    assert mo == po, "run `python -m tracker.web.i18n` to recompile messages.mo"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value
