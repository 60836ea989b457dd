"""KoboToolbox REST-service submissions: one case per submission, however often it is pushed."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.support import IMPORT_HEADER, csv_bytes
from tracker.extensions import db
from tracker.models import Case, Event


def kobo_payload(uuid: str = "3f1c2b7e-8a0d-4c55-9a1e-2b7d4f6e9c01", **answers) -> dict:
    """A submission shaped like Kobo's own JSON, with group prefixes and its metadata."""
    return {
        "_id": 48213,
        "_uuid": uuid,
        "formhub/uuid": "b2c5d9e4f1a84f0c9d2e7a6b5c4d3e2f",
        "meta/instanceID": f"uuid:{uuid}",
        "meta/rootUuid": f"uuid:{uuid}",
        "__version__": "vQ8kHz3xYp2mN7rT4",
        "_xform_id_string": "aXkP9mQ2rT7sV4wZ",
        "_submission_time": "2026-03-04T02:15:09",
        "_submitted_by": "notetaker1",
        "_attachments": [
            {"download_url": "https://kf.kobotoolbox.org/media/original?media_file=x.jpg"}
        ],
        "_geolocation": [11.5564, 104.9282],
        "_status": "submitted_via_web",
        "_tags": [],
        "_notes": [],
        "_validation_status": {},
        "start": "2026-03-04T09:02:11.000+07:00",
        "end": "2026-03-04T09:10:40.000+07:00",
        "today": "2026-03-04",
        "deviceid": "collect:Xq2Lr8Pz",
        "username": "notetaker1",
        "group_concern/title": "Maternity pay is three months late",
        "group_concern/description": "Garment workers in Kandal wait months for maternity pay.",
        "group_concern/category": "maternity",
        "group_concern/gender_focus": "women",
        "group_people/people_affected": "45",
        "group_raiser/raised_by_name": "Chan Sophea",
        "group_raiser/factory_name": "Golden Thread Ltd",
        "interviewer_notes": "Asked for a follow-up meeting.",
        **answers,
    }


def post(api, forum_id, payload):
    return api.post(f"/api/v1/forums/{forum_id}/kobo", payload)


def test_a_submission_posted_twice_gives_one_case(api_as, officer, forum):
    api = api_as(officer)
    first = post(api, forum.id, kobo_payload())
    assert first.status_code == 201, first.json
    again = post(api, forum.id, kobo_payload())
    assert again.status_code == 200
    assert again.json == first.json
    case = db.session.scalar(select(Case))
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
    assert (case.reference, case.title, case.category, case.people_affected) == (
        first.json["reference"],
        "Maternity pay is three months late",
        "maternity",
        45,
    )
    assert (case.gender_focus, case.raised_by_name, case.forum_id) == (
        "women",
        "Chan Sophea",
        forum.id,
    )
    assert case.province == forum.province  # the forum's, since the form did not ask


def test_unknown_questions_are_kept_in_the_creation_event_and_metadata_ignored(
    api_as, officer, forum
):
    post(api_as(officer), forum.id, kobo_payload())
    event = db.session.scalar(select(Event).where(Event.kind == "created"))
    kept = event.data["intake"]["kobo"]
    assert kept == {
        "factory_name": "Golden Thread Ltd",
        "interviewer_notes": "Asked for a follow-up meeting.",
    }


def test_a_malformed_submission_is_422_naming_the_fields(api_as, officer, forum):
    api = api_as(officer)
    payload = kobo_payload(uuid="a-bad-one")
    del payload["group_concern/title"]
    payload["group_concern/category"] = "potholes"
    response = post(api, forum.id, payload)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"title", "category"}
    assert "title" in response.json["detail"] and "category" in response.json["detail"]
    no_uuid = {k: v for k, v in kobo_payload().items() if k not in ("_uuid", "meta/instanceID")}
    refused = post(api, forum.id, no_uuid)
    assert refused.status_code == 422 and "_uuid" in refused.json["errors"]
    assert post(api, forum.id, [1, 2]).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_kobo_and_a_spreadsheet_do_not_log_the_same_concern_twice(api_as, officer, forum):
    import io

    api = api_as(officer)
    created = post(api, forum.id, kobo_payload(**{"group_concern/gender_focus": "all"}))
    row = [
        "Maternity pay is three months late",
        "Garment workers in Kandal wait months for maternity pay.",
        "maternity",
        "all",
        "Chan Sophea",
    ]
    response = api.post(
        f"/api/v1/forums/{forum.id}/imports",
        data={"file": (io.BytesIO(csv_bytes([row], IMPORT_HEADER)), "f.csv")},
        content_type="multipart/form-data",
    )
    assert (response.json["imported"], response.json["duplicates"]) == (0, 1)
    # And a new Kobo submission of a concern already logged answers with that case.
    resent = post(
        api, forum.id, kobo_payload(uuid="another-uuid", **{"group_concern/gender_focus": "all"})
    )
    assert resent.status_code == 200 and resent.json == created.json


def test_kobo_needs_a_staff_token(api_as, representative, anonymous, forum):
    assert post(api_as(representative), forum.id, kobo_payload()).status_code == 403
    assert post(anonymous, forum.id, kobo_payload()).status_code == 401
    assert post(api_as(representative), 99999, kobo_payload()).status_code in (403, 404)


def test_the_raisers_channel_comes_from_the_form_by_code_or_label(api_as, officer, forum):
    api = api_as(officer)
    by_code = kobo_payload(
        "11111111-2222-4333-8444-555555555555",
        **{"group_raiser/raised_by_phone": "012 345 678", "group_raiser/channel": "sms"},
    )
    assert post(api, forum.id, by_code).status_code == 201
    by_label = kobo_payload(
        "66666666-7777-4888-9999-000000000000",
        **{"group_concern/title": "Another", "group_raiser/channel": "តេឡេក្រាម"},
    )
    assert post(api, forum.id, by_label).status_code == 201
    assert db.session.scalars(select(Case.channel).order_by(Case.id)).all() == ["sms", "telegram"]
    refused = kobo_payload(
        "12121212-3434-4565-8787-909090909090",
        **{"group_concern/title": "Third", "group_raiser/channel": "email"},
    )  # no address
    assert post(api, forum.id, refused).status_code == 422
