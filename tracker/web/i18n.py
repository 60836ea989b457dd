"""English and Khmer: pick the language per request, and compile the Khmer catalog.

The compiled ``messages.mo`` is committed next to its ``.po`` so a deployment needs no build step;
``tests/web/test_web_catalog.py`` fails when the two disagree. After editing the ``.po`` run
``python -m tracker.web.i18n``.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from tracker.extensions import babel

LANGUAGE_CODES = ("en", "km")
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
KHMER_PO = TRANSLATIONS / "km" / "LC_MESSAGES" / "messages.po"


def select_locale() -> str:
    """The signed-in user's language; else the one chosen this session; else the browser's."""
    if not has_request_context():
        return "en"
    try:
        if current_user.is_authenticated and current_user.language in LANGUAGE_CODES:
            return current_user.language
    except SQLAlchemyError:  # the database is down: still render the error page
        pass
    if session.get("lang") in LANGUAGE_CODES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGE_CODES) or "en"


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel: our catalog, our locale selector, dates in the app's time zone."""
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    babel.init_app(app, locale_selector=select_locale)


def compile_catalog(po_path: Path = KHMER_PO) -> Path:
    """Compile a ``.po`` file into the ``.mo`` beside it; return the ``.mo`` path."""
    with po_path.open("rb") as source:
        catalog = read_po(source)
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("wb") as target:
        write_mo(target, catalog)
    return mo_path


if __name__ == "__main__":
    print(compile_catalog())
