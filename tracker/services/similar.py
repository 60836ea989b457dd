"""Similar open concerns: trigram similarity of titles and descriptions, English and Khmer.

Khmer is written without spaces between words, so word search finds nothing; trigrams of
characters do. PostgreSQL: pg_trgm's ``%`` (title) and ``<%`` (the text within a title or a
description), served by the GIN indexes ``ix_cases_title_trgm`` / ``ix_cases_description_trgm``
of migration 0008_scale. SQLite (the embedded default): the same trigrams computed in Python over
a bounded set of candidates (the newest open cases the actor may see).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, func, literal, or_, select

from tracker.access import visible_cases
from tracker.extensions import db
from tracker.models import Case, User
from tracker.workflow_registry import final_states

# Chosen from tests/complex/test_similar.py: a Khmer title with two signs changed scores ~0.7,
# an English title with a typo ~0.5, an unrelated concern below 0.2.
SIMILARITY_THRESHOLD = 0.3  # title as a whole against the text (pg_trgm.similarity_threshold)
WORD_THRESHOLD = 0.6  # the text found within a title or description (word_similarity_threshold)
MIN_TEXT = 3
MAX_TEXT = 500
MAX_LIMIT = 20
# SQLite only: how many open cases (newest first) and how much of each description are compared.
FALLBACK_CANDIDATES = 2000
FALLBACK_DESCRIPTION = 2000


@dataclass(frozen=True)
class SimilarCase:
    """An open case like the text, and how alike (0 to 1)."""

    reference: str
    title: str
    score: float


def similar_cases(text: str, *, actor: User, limit: int = 5) -> list[SimilarCase]:
    """The open cases this actor may see whose title or description is like ``text``, most
    alike first (none for a text shorter than MIN_TEXT characters)."""
    text = " ".join((text or "").split())[:MAX_TEXT]
    limit = max(1, min(limit, MAX_LIMIT))
    if len(text) < MIN_TEXT:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        return _postgres(text, actor, limit)
    return _fallback(text, actor, limit)


def similar_query(text: str, actor: User, limit: int = 5) -> Select:
    """PostgreSQL's query of similar open cases (reference, title, score), best first."""
    q = bindparam("similar_text", text, literal_execute=False)
    score = func.greatest(
        func.similarity(Case.title, q),
        func.word_similarity(q, Case.title),
        func.word_similarity(q, Case.description),
    ).label("score")
    matches = or_(Case.title.op("%")(q), q.op("<%")(Case.title), q.op("<%")(Case.description))
    return (
        _open_visible(actor)
        .where(matches)
        .with_only_columns(Case.reference, Case.title, score)
        .order_by(score.desc(), Case.id.desc())
        .limit(limit)
    )


def use_thresholds() -> None:
    """Set pg_trgm's thresholds for this transaction (``set_config(…, true)``: PgBouncer-safe)."""
    db.session.execute(
        select(
            func.set_config(
                "pg_trgm.similarity_threshold", literal(str(SIMILARITY_THRESHOLD)), True
            ),
            func.set_config(
                "pg_trgm.word_similarity_threshold", literal(str(WORD_THRESHOLD)), True
            ),
        )
    )


def _postgres(text: str, actor: User, limit: int) -> list[SimilarCase]:
    use_thresholds()
    rows = db.session.execute(similar_query(text, actor, limit))
    return [SimilarCase(ref, title, round(float(score), 3)) for ref, title, score in rows]


def _open_visible(actor: User) -> Select:
    return visible_cases(actor).where(Case.state.not_in(final_states()))


def _fallback(text: str, actor: User, limit: int) -> list[SimilarCase]:
    """pg_trgm's measures in Python over the newest FALLBACK_CANDIDATES open visible cases."""
    wanted = trigrams(text)
    rows = db.session.execute(
        _open_visible(actor)
        .with_only_columns(
            Case.reference, Case.title, func.substr(Case.description, 1, FALLBACK_DESCRIPTION)
        )
        .order_by(Case.id.desc())
        .limit(FALLBACK_CANDIDATES)
    )
    found = []
    for reference, title, description in rows:
        title_grams = trigrams(title)
        whole = similarity(wanted, title_grams)
        within = max(containment(wanted, title_grams), containment(wanted, trigrams(description)))
        if whole >= SIMILARITY_THRESHOLD or within >= WORD_THRESHOLD:
            found.append(SimilarCase(reference, title, round(max(whole, within), 3)))
    found.sort(key=lambda item: -item.score)
    return found[:limit]


def _word_character(char: str) -> bool:
    """Letters and digits, and combining signs (Khmer vowels and coeng): part of a word."""
    return char.isalnum() or unicodedata.category(char).startswith("M")


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word lower-cased, padded with two spaces before and one after."""
    words, word = [], []
    for char in (text or "").lower():
        if _word_character(char):
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    grams: set[str] = set()
    for each in words:
        padded = f"  {each} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: set[str], b: set[str]) -> float:
    """Shared trigrams over all trigrams of both (pg_trgm's ``similarity``)."""
    return len(a & b) / len(a | b) if a and b else 0.0


def containment(wanted: set[str], within: set[str]) -> float:
    """The share of the text's trigrams found in the other (close to ``word_similarity``)."""
    return len(wanted & within) / len(wanted) if wanted and within else 0.0
