"""Render messages: one Jinja template per email, its words from the pages' Babel catalog.

An email template (``templates/<kind>.html``) extends ``_email.html`` and fills two blocks,
``subject`` and ``body``. The same source is rendered as the subject, as HTML (autoescaped,
inside the shared layout, its CSS then inlined by css-inline for mail clients that drop
``<style>``) and as plain text (``html`` is false, so the macros of ``_parts.html`` write lines
instead of markup): the words are written once. They go through ``_()`` / ``ngettext()`` with
the recipient's ``babel.support.Translations``, the very catalog of the pages
(``tracker/translations/km/LC_MESSAGES/messages.po``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import css_inline
from babel.dates import format_date
from babel.support import NullTranslations, Translations
from flask import current_app
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from notifications.recipients import language_of
from tracker import codes
from tracker.digits import in_reader_digits
from tracker.feedback_words import feedback_answer_text
from tracker.workflow_registry import registry

TEMPLATES = Path(__file__).resolve().parent / "templates"
CATALOGS = Path(__file__).resolve().parent.parent / "tracker" / "translations"
# What a confidential case's messages may carry of it: its reference and the link (PRODUCT.md).
CONFIDENTIAL_KEYS = ("reference", "workflow", "confidential")
# Context keys holding a case's own words, never shown for a confidential case.
CASE_WORDS = ("note", "summary", "comment", "resolution_public", "data")
_BLANK_LINES = re.compile(r"\n{3,}")
# What a case and a digest item may lack in rows queued before these keys existed.
CASE_DEFAULTS = {"title": "", "state": None, "due_at": None, "workflow": None}
ITEM_DEFAULTS = {**CASE_DEFAULTS, "overdue_days": None, "next": [], "confidential": False}


@cache
def translations(language: str) -> NullTranslations:
    """The Babel catalog of a language (English: the msgids themselves)."""
    if language == "en":
        return NullTranslations()
    return Translations.load(str(CATALOGS), [language], domain="messages")


@cache
def environment(language: str, html: bool) -> Environment:
    """The Jinja environment of one language and one format (HTML autoescaped, text not)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)
    env.globals["feedback_answer"] = feedback_answer_text  # the status page's own words
    env.filters["step"] = lambda trigger, workflow: step_label(trigger, workflow, language)
    return env


def step_label(trigger: str, workflow: str | None, language: str) -> str:
    """A trigger's label in a language, from its workflow definition (`Refer`, `Close`…)."""
    reg = registry()
    name = workflow if workflow in reg else "case"
    found = reg.workflow(name).transition(trigger)
    return (found.label.get(language) or trigger) if found else trigger


def local_date(value: str | date | datetime | None, language: str, khmer: bool = False) -> str:
    """A UTC moment (or ISO string, or a date) as the reader's local date in their language."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(moment, datetime):
        moment = moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()
    return in_reader_digits(format_date(moment, "medium", locale=language), language, khmer)


def _helpers(language: str, workflow: str | None, khmer: bool) -> dict[str, Any]:
    """Helpers that write dates, numbers and codes in the recipient's language."""
    reg = registry()

    def count_rows(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
        return [(row["name"], in_reader_digits(str(row["count"]), language, khmer)) for row in rows]

    return {
        "count_rows": count_rows,
        "state_label": lambda state, wf=None: reg.state_label(state, language, wf or workflow),
        "day": lambda value: local_date(value, language, khmer),
        "digits": lambda text: in_reader_digits(str(text), language, khmer),
        **{
            name: (lambda code, table=table: codes.label(table, code, language))
            for name, table in (
                ("outcome_label", codes.OUTCOMES),
                ("category_label", codes.CATEGORIES),
                ("priority_label", codes.PRIORITIES),
                ("province_label", codes.PROVINCES),
            )
        },
    }


def links(reference: str | None) -> dict[str, str]:
    """The case page (staff and agencies) and the public status page of a case."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if not reference:
        return {"base_url": base}
    return {
        "base_url": base,
        "case_url": f"{base}/cases/{reference}",
        "status_url": f"{base}/status?reference={reference}",
    }


def confidential_view(case: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """A case as its messages may show it: all of it, or only its reference when confidential."""
    case = {**defaults, **case}
    if not case.get("confidential"):
        return case
    return {key: value if key in CONFIDENTIAL_KEYS else None for key, value in case.items()}


def _shown(context: dict[str, Any]) -> dict[str, Any]:
    """The context with confidential cases cut to their reference (the case and digest items)."""
    shown = dict(context)
    case = context.get("case")
    if isinstance(case, dict):
        shown["case"] = confidential_view(case, CASE_DEFAULTS)
        if case.get("confidential"):
            shown.update({key: None for key in CASE_WORDS if key in context})
    for key, value in context.items():
        if isinstance(value, dict) and isinstance(value.get("cases"), list):
            items = [confidential_view(c, ITEM_DEFAULTS) for c in value["cases"]]
            shown[key] = {**value, "cases": items}
    return shown


def template_context(language: str, context: dict[str, Any]) -> dict[str, Any]:
    """A row's context with the links and the helpers of its language added."""
    case = context.get("case") or {}
    khmer = bool(context.get("khmer_digits"))
    helpers = _helpers(language, case.get("workflow"), khmer)
    return {**links(case.get("reference")), **helpers, "lang": language, **_shown(context)}


def template_exists(name: str) -> bool:
    """Tell whether a template file of that name exists (``sms/case_closed.km.txt``)."""
    return (TEMPLATES / name).is_file()


def render_text(name: str, language: str, context: dict[str, Any]) -> str:
    """Render one plain-text template with the context every message template gets."""
    language = language_of(language)
    template = environment(language, html=False).get_template(name)
    return template.render(template_context(language, context))


@cache
def _inliner() -> css_inline.CSSInliner:
    # The @media rules stay in <style> for the clients that read it; the rest goes inline.
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def tidy_text(text: str) -> str:
    """Plain text without trailing spaces or runs of blank lines."""
    lines = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return _BLANK_LINES.sub("\n\n", lines) + "\n"


def render_parts(kind: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one email kind, from its one template."""
    language = language_of(language)
    ctx = template_context(language, context)
    name = f"{kind}.html"
    text_template = environment(language, html=False).get_template(name)
    subject = text_template.render({**ctx, "part": "subject", "html": False})
    text = text_template.render({**ctx, "part": "text", "html": False})
    html_template = environment(language, html=True).get_template(name)
    html = html_template.render({**ctx, "part": "html", "html": True})
    return " ".join(subject.split()), tidy_text(text), _inliner().inline(html)
