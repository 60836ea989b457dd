"""Odd If-Match headers on PATCH and transitions: a clear 4xx problem, never a 500.

``""`` is a well-formed entity tag that names no version of the case, so the precondition is
simply false: 412, as RFC 9110 asks when If-Match does not match. A weak tag never matches
If-Match (strong comparison): 412 too. A header with no entity tag at all is malformed: 400.
"""

from __future__ import annotations

import pytest

from tests.api.test_api_problems import assert_problem
from tracker.extensions import db
from tracker.models import Case


@pytest.fixture
def staff(api_as, officer):
    """The officer's API client."""
    return api_as(officer)


STALE_TAGS = ['""', 'W/""', '"", ""', "W/", '"GRV-2026-00001.' + "9" * 5000 + '"', '"x", *']
MALFORMED_TAGS = [",", '"', " , , "]


def _analyse(staff, reference: str, owner_id: int, tag: str):
    return staff.post(
        f"/api/v1/cases/{reference}/transitions",
        json={"trigger": "analyse", "owner_id": owner_id, "note": "Check."},
        headers={"If-Match": tag},
    )


def _patch(staff, reference: str, tag: str):
    return staff.patch(
        f"/api/v1/cases/{reference}", json={"priority": "high"}, headers={"If-Match": tag}
    )


def _version(reference: str) -> int:
    db.session.expire_all()
    return db.session.query(Case).filter_by(reference=reference).one().version


@pytest.mark.parametrize("tag", STALE_TAGS)
def test_an_if_match_naming_no_version_is_412_on_patch(staff, make_case, tag):
    ref = make_case().case.reference
    before = _version(ref)
    answer = _patch(staff, ref, tag)
    detail = assert_problem(answer, 412)["detail"]
    assert detail == f"Case {ref} is at version {before}; If-Match names none of its versions."
    assert _version(ref) == before


@pytest.mark.parametrize("tag", STALE_TAGS)
def test_an_if_match_naming_no_version_is_412_on_a_transition(staff, make_case, officer, tag):
    ref = make_case().case.reference
    answer = _analyse(staff, ref, officer.id, tag)
    assert_problem(answer, 412)
    assert staff.get(f"/api/v1/cases/{ref}").get_json()["state"] == "logged"


@pytest.mark.parametrize("tag", MALFORMED_TAGS)
def test_an_if_match_without_any_entity_tag_is_400(staff, make_case, officer, tag):
    ref = make_case().case.reference
    patched = _patch(staff, ref, tag)
    assert "entity tags" in assert_problem(patched, 400)["detail"]
    fired = _analyse(staff, ref, officer.id, tag)
    assert_problem(fired, 400)
    assert staff.get(f"/api/v1/cases/{ref}").get_json()["priority"] == "normal"


def test_a_weak_tag_of_the_current_version_does_not_match(staff, make_case):
    ref = make_case().case.reference
    etag = staff.get(f"/api/v1/cases/{ref}").headers["ETag"]
    weak = staff.patch(
        f"/api/v1/cases/{ref}", json={"priority": "high"}, headers={"If-Match": f"W/{etag}"}
    )
    assert_problem(weak, 412)
    listed = staff.patch(
        f"/api/v1/cases/{ref}", json={"priority": "high"}, headers={"If-Match": f'"", {etag}'}
    )
    assert listed.status_code == 200


def test_a_blank_if_match_counts_as_missing(staff, make_case):
    ref = make_case().case.reference
    answer = staff.patch(
        f"/api/v1/cases/{ref}", json={"priority": "high"}, headers={"If-Match": " "}
    )
    assert_problem(answer, 428)
