"""Logging, editing, assigning and commenting: references, access codes, the audit trail."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Case, Event
from tracker.services.cases import add_comment, assign_case, edit_case, get_case
from tracker.services.errors import NotFound, PermissionDenied, StaleVersion, ValidationFailed
from tracker.services.references import access_code_matches
from tracker.services.timeline import timeline


def test_references_are_sequential_per_year(make_case, now):
    first = make_case(now=now).case.reference
    second = make_case(now=now).case.reference
    assert re.fullmatch(r"GRV-2026-\d{5}", first)
    assert int(second[-5:]) == int(first[-5:]) + 1


def test_reference_year_is_the_phnom_penh_year(make_case):
    # 1 January 2027, 03:00 in Phnom Penh is still 31 December 2026 in UTC.
    new_year = datetime(2027, 1, 1, 3, 0, tzinfo=ZoneInfo("Asia/Phnom_Penh")).astimezone(UTC)
    assert make_case(now=new_year).case.reference == "GRV-2027-00001"


def test_access_code_is_stored_hashed(make_case):
    logged = make_case()
    assert logged.access_code not in logged.case.access_code_hash
    assert access_code_matches(logged.case.access_code_hash, logged.access_code.lower())
    assert not access_code_matches(logged.case.access_code_hash, "AAAA-BBBB-CCCC")


def test_new_case_is_logged_with_deadline_and_creation_event(make_case, officer):
    case = make_case().case
    assert case.state == "logged" and case.due_at is not None
    events = timeline(case)
    assert [(e.kind, e.to_state, e.actor_id) for e in events] == [("created", "logged", officer.id)]


def test_missing_and_bad_fields_are_all_named(app, officer):
    from tracker.services.cases import log_case

    with pytest.raises(ValidationFailed) as failed:
        log_case(
            officer,
            {"province": "KH-99", "gender_focus": "x", "people_affected": -1, "state": "closed"},
        )
    assert set(failed.value.errors) == {
        "title",
        "description",
        "category",
        "province",
        "gender_focus",
        "people_affected",
        "state",
    }
    assert db.session.scalar(select(Case.id)) is None


def test_representative_case_belongs_to_their_organisation(
    make_case, representative, other_organisation
):
    case = make_case(actor=representative, organisation_id=other_organisation.id).case
    assert case.organisation_id == representative.organisation_id


def test_agency_cannot_log_cases(make_case, agency_user):
    with pytest.raises(PermissionDenied):
        make_case(actor=agency_user)


def test_edit_records_changes_without_personal_values(make_case, officer):
    case = make_case().case
    edit_case(
        officer,
        case.reference,
        {"priority": "urgent", "raised_by_phone": "012 345 678"},
        expected_version=case.version,
    )
    event = timeline(case)[-1]
    assert event.kind == "edited"
    assert event.data["fields"] == ["priority", "raised_by_phone"]
    assert event.data["changes"] == {"priority": {"from": "normal", "to": "urgent"}}
    assert "012 345 678" not in str(event.data)


def test_stale_version_changes_nothing(make_case, officer):
    case = make_case().case
    stale = case.version
    edit_case(officer, case.reference, {"priority": "high"})
    with pytest.raises(StaleVersion):
        edit_case(officer, case.reference, {"priority": "low"}, expected_version=stale)
    db.session.refresh(case)
    assert case.priority == "high"


def test_representative_may_not_edit_or_see_other_organisations(
    make_case, representative, make_user, other_organisation
):
    case = make_case(actor=representative).case
    with pytest.raises(PermissionDenied):
        edit_case(representative, case.reference, {"priority": "urgent"})
    outsider = make_user("representative", organisation_id=other_organisation.id)
    with pytest.raises(NotFound):
        get_case(outsider, case.reference)


def test_assign_records_an_event(make_case, officer, make_user):
    colleague = make_user("officer")
    case = make_case().case
    assign_case(officer, case.reference, colleague.id)
    assert case.owner_id == colleague.id
    assert timeline(case)[-1].data == {"from": None, "to": colleague.id}


def test_comment_goes_on_the_timeline(make_case, representative):
    case = make_case(actor=representative).case
    add_comment(representative, case.reference, "  More workers affected.  ")
    event = timeline(case)[-1]
    assert (event.kind, event.note) == ("commented", "More workers affected.")
    with pytest.raises(ValidationFailed):
        add_comment(representative, case.reference, "   ")
    with pytest.raises(PermissionDenied):
        add_comment(representative, case.reference, "secret", internal=True)
    assert db.session.query(Event).filter_by(case_id=case.id).count() == 2


def test_edit_with_owner_is_one_change_and_refuses_everything_on_one_bad_field(
    make_case, officer, make_user, representative
):
    colleague = make_user("officer")
    case = make_case().case
    version = case.version
    with pytest.raises(ValidationFailed) as failed:
        edit_case(officer, case.reference, {"priority": "urgent", "owner_id": representative.id})
    assert set(failed.value.errors) == {"owner_id"}
    db.session.refresh(case)
    assert (case.priority, case.owner_id, case.version) == ("normal", None, version)
    edit_case(officer, case.reference, {"priority": "urgent", "owner_id": colleague.id})
    assert (case.priority, case.owner_id, case.version) == ("urgent", colleague.id, version + 1)
    assert [e.kind for e in timeline(case)][-2:] == ["edited", "assigned"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "Pay\x00ment"}, "title"),
        ({"description": "Line one\nline two\x1b[31m"}, "description"),
        ({"category": "maternity\x00"}, "category"),
        ({"raised_by_phone": "012\x07345"}, "raised_by_phone"),
    ],
)
def test_control_characters_are_refused_on_both_databases(app, officer, fields, field):
    from tracker.services.cases import log_case

    data = {"title": "t", "description": "d", "category": "maternity", **fields}
    with pytest.raises(ValidationFailed) as failed:
        log_case(officer, data)
    assert set(failed.value.errors) == {field}


def test_multiline_description_and_tabs_are_kept(app, officer):
    from tracker.services.cases import log_case

    case = log_case(officer, {"title": "a\tb", "description": "one\r\ntwo", "category": "other"})
    assert (case.case.title, case.case.description) == ("a\tb", "one\r\ntwo")
