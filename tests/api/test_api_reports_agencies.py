"""GET /api/v1/reports/agencies: per-agency performance, scoped to the caller."""

from __future__ import annotations

import pytest

from tests.services.reports_scenario import build_referrals


@pytest.fixture
def scenario(officer, agency, other_agency, organisation, other_organisation):
    """The dated referrals of tests/services/reports_scenario.py. The API reads them now (after
    May 2026), when every deadline has passed: C and D's second referral are overdue at NSSF."""
    return build_referrals(officer, agency, other_agency, organisation, other_organisation)


def figures(body: dict) -> dict[str, tuple]:
    return {
        row["code"]: (row["referrals"], row["answered"], row["answered_on_time"], row["overdue"])
        for row in body["rows"]
    }


def test_staff_see_every_agency_with_all_fields(scenario, api_as, officer, agency):
    answer = api_as(officer).get("/api/v1/reports/agencies")
    assert answer.status_code == 200
    body = answer.get_json()
    assert figures(body) == {"MOH": (2, 1, 1, 1), "NSSF": (4, 2, 1, 2)}
    nssf = next(row for row in body["rows"] if row["code"] == "NSSF")
    assert nssf == {
        "agency_id": agency.id,
        "code": "NSSF",
        "name_en": "National Social Security Fund",
        "name_km": "បេឡាជាតិ",
        "referrals": 4,
        "answered": 2,
        "answered_on_time": 1,
        "overdue": 2,
        "share_on_time": 0.25,
        "median_response_days": 13.5,
    }
    assert body["as_of"].endswith("+00:00")


def test_agency_and_representative_see_only_their_scope(
    scenario, api_as, make_user, other_agency, agency_user, representative
):
    assert figures(api_as(agency_user).get("/api/v1/reports/agencies").get_json()) == {
        "NSSF": (4, 2, 1, 2)
    }
    moh_focal = make_user("agency", agency_id=other_agency.id)
    assert figures(api_as(moh_focal).get("/api/v1/reports/agencies").get_json()) == {
        "MOH": (2, 1, 1, 1)
    }
    assert figures(api_as(representative).get("/api/v1/reports/agencies").get_json()) == {
        "MOH": (1, 1, 1, 0),
        "NSSF": (4, 2, 1, 2),
    }


def test_anonymous_gets_401_problem(anonymous):
    answer = anonymous.get("/api/v1/reports/agencies")
    assert answer.status_code == 401 and answer.mimetype == "application/problem+json"


def test_the_route_is_documented(anonymous):
    spec = anonymous.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/reports/agencies"]["get"]
    schema = spec["components"]["schemas"]["AgencyPerformance"]
    assert "200" in operation["responses"] and "share_on_time" in schema["properties"]
