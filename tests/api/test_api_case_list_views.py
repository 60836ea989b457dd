"""The case list's items are the single-case answers, for every role, in a fixed number of
queries whatever the number of cases on the page (referrals and teams read once per page)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import current_app

from tests.support import counted_statements, trigger_data
from tracker.models import Agency, Forum, Organisation, User
from tracker.services.cases import log_case
from tracker.services.public_summary import set_public_summary
from tracker.services.transitions import fire_trigger

FULL = {
    "title": "Clinic refuses NSSF cards",
    "description": "The district clinic sends insured workers away.",
    "category": "healthcare",
    "province": "KH-12",
    "affected_group": "garment_workers",
    "gender_focus": "women",
    "people_affected": 120,
    "priority": "high",
    "language": "km",
    "raised_by_name": "Chan Sophea",
    "raised_by_email": "sophea@example.org",
    "raised_by_phone": "+855 12 345 678",
    "consent_share": True,
}


@dataclass
class Cases:
    """Cases with every field set (one confidential), referred twice, and a bare one."""

    references: list[str]
    owner: User
    named: User
    other_agency_user: User


def refer_twice(owner: User, reference: str, focal_points: tuple[User, User]) -> None:
    """Refer to two agencies at once (the second one leads), both answer, then refer to the
    first one again."""
    first, second = focal_points
    fire_trigger(owner, reference, "analyse", trigger_data("analyse", owner.id, first.agency_id))
    both = {"agency_ids": [second.agency_id, first.agency_id], "note": "Both of you, please."}
    fire_trigger(owner, reference, "refer", both)
    for focal_point in focal_points:
        answer = trigger_data("respond", owner.id, focal_point.agency_id)
        fire_trigger(focal_point, reference, "respond", answer)
    fire_trigger(owner, reference, "refer", trigger_data("refer", owner.id, first.agency_id))


@pytest.fixture
def cases(
    make_user, other_agency: Agency, agency_user: User, organisation: Organisation, forum: Forum
) -> Cases:
    """Log them through the services."""
    owner, named = make_user("officer"), make_user("officer")
    focal_points = (agency_user, make_user("agency", agency_id=other_agency.id))
    full = {**FULL, "forum_id": forum.id, "organisation_id": organisation.id}
    references = []
    for extra in ({}, {"confidential": True, "team_ids": [named.id]}):
        reference = log_case(owner, {**full, **extra}).case.reference
        if extra:  # agencies never see a confidential case, so cannot answer it
            for trigger in ("analyse", "refer"):
                data = trigger_data(trigger, owner.id, other_agency.id)
                fire_trigger(owner, reference, trigger, data)
        else:
            refer_twice(owner, reference, focal_points)
        set_public_summary(owner, reference, "A clinic turned workers away.", approve=True)
        references.append(reference)
    references.append(log_case(owner, {**FULL, "raised_by_phone": None}).case.reference)
    return Cases(references, owner, named, focal_points[1])


def viewers(cases: Cases, admin, agency_user, make_user, representative) -> dict[str, User]:
    """Everyone who sees some of the cases, each in their own way."""
    return {
        "owner": cases.owner,
        "named": cases.named,
        "officer": make_user("officer"),
        "admin": admin,
        "agency": agency_user,
        "other agency": cases.other_agency_user,
        "representative": representative,
    }


def test_list_items_are_the_single_case_answers(
    cases, api_as, admin, agency_user, make_user, representative
):
    for role, user in viewers(cases, admin, agency_user, make_user, representative).items():
        api = api_as(user)
        items = api.get("/api/v1/cases?per_page=100").get_json()["items"]
        assert items, role
        for item in items:
            single = api.get(f"/api/v1/cases/{item['reference']}")
            assert single.status_code == 200, role
            assert item == single.get_json(), role


def test_each_role_lists_what_it_may_see(
    cases, api_as, admin, agency_user, make_user, representative
):
    plain, secret, bare = cases.references
    expected = {
        "owner": {plain, secret, bare},
        "named": {plain, secret, bare},
        "officer": {plain, bare},
        "admin": {plain, secret, bare},
        "agency": {plain},
        "other agency": {plain},
        "representative": {plain},
    }
    for role, user in viewers(cases, admin, agency_user, make_user, representative).items():
        body = api_as(user).get("/api/v1/cases?per_page=100").get_json()
        assert {item["reference"] for item in body["items"]} == expected[role], role
        assert body["total"] == len(expected[role]), role


def test_list_queries_do_not_grow_with_the_page(
    cases, api_as, make_case, agency_user, representative, officer
):
    current_app.config["LIST_ESTIMATE_KEEP_SECONDS"] = 0  # each request asks the planner

    def statements(user: User) -> int:
        with counted_statements() as sent:
            assert api_as(user).get("/api/v1/cases?per_page=100").status_code == 200
        return len(sent)

    users = (cases.owner, agency_user, representative)
    few = [statements(user) for user in users]
    organisation_id = representative.organisation_id
    for _ in range(4):
        reference = make_case(organisation_id=organisation_id).case.reference
        refer_twice(officer, reference, (agency_user, cases.other_agency_user))
    assert [statements(user) for user in users] == few


def test_a_refused_token_lists_nothing(client, api_as, cases, token_for, app):
    from tracker.extensions import db
    from tracker.models import ApiToken
    from tracker.services.tokens import revoke_token

    token = token_for(cases.owner)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    revoke_token(token)
    refused = client.get("/api/v1/cases", headers=headers)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    expired = token_for(cases.named)
    for row in db.session.scalars(db.select(ApiToken).where(ApiToken.user_id == cases.named.id)):
        row.expires_at = row.created_at
    db.session.commit()
    answer = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {expired}"})
    assert answer.status_code == 401
