"""Similar concerns: Khmer and English near-misses are suggested, unrelated ones are not; only
open cases the caller may see; on PostgreSQL the trigram index serves the query."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.complex.related_support import api
from tracker.extensions import db
from tracker.services.case_queries import explain
from tracker.services.similar import similar_cases, similar_query, trigrams, use_thresholds
from tracker.services.transitions import fire_trigger

KHMER_TITLE = "កម្មករមិនត្រូវបានចុះឈ្មោះនៅបេឡាជាតិរបបសន្តិសុខសង្គម"
# Two signs changed (ត្រូវ → ត្រូ, សង្គម → សង្គំ), as a second forum might have written it.
KHMER_VARIANT = "កម្មករមិនត្រូបានចុះឈ្មោះនៅបេឡាជាតិរបបសន្តិសុខសង្គំ"
ENGLISH_TITLE = "Maternity benefit not paid by the employer"
ENGLISH_TYPO = "Maternty benefit not payd by employer"
UNRELATED = "Clinic asks for money before treating card holders"


@pytest.fixture
def concerns(make_case):
    """Three open concerns: one in Khmer, one in English, one about something else."""
    return {
        "km": make_case(title=KHMER_TITLE, description="ព័ត៌មានបន្ថែម", language="km").case,
        "en": make_case(title=ENGLISH_TITLE, description="Twelve workers on leave.").case,
        "other": make_case(title=UNRELATED, description="The clinic refuses the NSSF card.").case,
    }


def references(items) -> list[str]:
    return [item.reference for item in items]


def test_a_khmer_title_a_few_signs_apart_is_suggested(concerns, officer):
    found = similar_cases(KHMER_VARIANT, actor=officer)
    assert references(found) == [concerns["km"].reference]
    assert 0.5 < found[0].score < 1


def test_an_english_title_with_typos_is_suggested_and_nothing_unrelated(concerns, officer):
    found = similar_cases(ENGLISH_TYPO, actor=officer)
    assert references(found) == [concerns["en"].reference]
    assert found[0].score >= 0.3


def test_text_within_a_description_finds_the_case(make_case, officer):
    case = make_case(
        title="Registration",
        description="The employer at the Chak Angre garment factory never registered the staff.",
    ).case
    assert references(similar_cases("Chak Angre garment factory", actor=officer)) == [
        case.reference
    ]


def test_an_unrelated_text_and_a_too_short_one_suggest_nothing(concerns, officer):
    assert similar_cases("Pension age for civil servants", actor=officer) == []
    assert similar_cases("ab", actor=officer) == []


def test_closed_cases_are_not_suggested(concerns, officer):
    reference = concerns["en"].reference
    fire_trigger(officer, reference, "analyse", {"owner_id": officer.id, "note": "Seen."})
    fire_trigger(officer, reference, "close", {"outcome": "resolved", "resolution": "Paid."})
    assert similar_cases(ENGLISH_TYPO, actor=officer) == []


def test_only_cases_the_caller_may_see(make_case, make_user, representative, other_organisation):
    theirs = make_case(title=ENGLISH_TITLE, organisation_id=other_organisation.id).case
    assert similar_cases(ENGLISH_TYPO, actor=representative) == []
    own = make_case(title=ENGLISH_TITLE, organisation_id=representative.organisation_id).case
    assert references(similar_cases(ENGLISH_TYPO, actor=representative)) == [own.reference]
    assert theirs.reference not in references(similar_cases(ENGLISH_TYPO, actor=representative))


def test_the_api_answers_items_with_scores(concerns, officer, client):
    answer = api(client, officer).get("/api/v1/cases/similar", query_string={"text": KHMER_VARIANT})
    assert answer.status_code == 200
    items = answer.get_json()["items"]
    assert [item["reference"] for item in items] == [concerns["km"].reference]
    assert set(items[0]) == {"reference", "title", "score"}
    assert items[0]["title"] == KHMER_TITLE


def test_the_api_refuses_a_missing_text_and_needs_a_token(officer, client):
    missing = api(client, officer).get("/api/v1/cases/similar")
    assert missing.status_code == 422
    assert missing.mimetype == "application/problem+json"
    assert "text" in missing.get_json()["errors"]
    assert api(client, None).get("/api/v1/cases/similar?text=maternity").status_code == 401


def test_khmer_signs_stay_inside_the_word():
    # A combining vowel sign or coeng does not split a Khmer word (as in pg_trgm).
    assert all(" " not in gram.strip() for gram in trigrams("ត្រូវ"))
    assert len(trigrams("ត្រូវ")) == len("ត្រូវ") + 1


@pytest.mark.postgres
def test_postgres_uses_the_trigram_index(concerns, officer, is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL only")
    use_thresholds()
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = str(explain(similar_query(KHMER_VARIANT, officer)))
    assert "ix_cases_title_trgm" in plan
    assert "ix_cases_description_trgm" in plan
    db.session.rollback()
