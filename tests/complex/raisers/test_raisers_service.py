"""Several raisers on one case, through the service: own codes, people affected, validation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Event, Raiser
from tracker.services.errors import PermissionDenied, ValidationFailed
from tracker.services.public import find_by_code
from tracker.services.raisers import add_raiser, move_raisers, raisers_of


def test_each_raiser_has_their_own_code_and_people_add_up(make_case, officer, now):
    logged = make_case(now=now, people_affected=20)
    case = logged.case
    raiser, code = add_raiser(
        case, {"name": "Union", "email": "union@example.org", "people_affected": 50},
        actor=officer, at=now,
    )  # fmt: skip
    anonymous, other_code = add_raiser(case, {}, actor=officer, at=now)
    assert case.people_affected == 71  # 20, the union's 50, one anonymous person
    assert anonymous.anonymous and not raiser.anonymous
    assert len({logged.access_code, code, other_code}) == 3
    for each in (logged.access_code, code, other_code):
        assert find_by_code(case.reference, each).id == case.id
    assert [r.id for r in raisers_of(case)] == [None, raiser.id, anonymous.id]
    assert raisers_of(case)[0].email == "dara@example.org"
    events = db.session.scalars(select(Event).where(Event.kind == "raiser_added")).all()
    assert len(events) == 2 and "union@example.org" not in str(events[0].data)


def test_a_bad_raiser_is_refused_and_changes_nothing(make_case, officer, now):
    case = make_case(now=now).case
    with pytest.raises(ValidationFailed) as refused:
        add_raiser(
            case, {"email": "not an address", "channel": "sms", "role": "admin"}, actor=officer
        )
    assert set(refused.value.errors) == {"email", "role"}
    with pytest.raises(ValidationFailed) as refused:
        add_raiser(case, {"channel": "sms"}, actor=officer)
    assert set(refused.value.errors) == {"channel"}
    assert db.session.scalars(select(Raiser)).all() == []


def test_an_agency_may_not_add_raisers(make_case, agency_user, now):
    case = make_case(now=now).case
    with pytest.raises(PermissionDenied):
        add_raiser(case, {"name": "Someone"}, actor=agency_user)


def test_moved_raisers_keep_their_codes_on_the_kept_case(make_case, officer, now):
    kept = make_case(now=now, people_affected=3).case
    duplicate = make_case(now=now, title="Same concern again", people_affected=2)
    _, joined_code = add_raiser(duplicate.case, {"phone": "012 345 678"}, actor=officer, at=now)
    moved = move_raisers(duplicate.case, kept, at=now)
    db.session.commit()
    assert [r.case_id for r in moved] == [kept.id, kept.id]
    assert kept.people_affected == 6  # 3, and the duplicate's 2 + 1 joined
    for code in (duplicate.access_code, joined_code):
        assert find_by_code(kept.reference, code).id == kept.id
    assert sorted(r.email for r in raisers_of(kept)) == ["", "dara@example.org", "dara@example.org"]
