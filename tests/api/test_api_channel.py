"""The raiser's channel in the Case JSON: given or defaulted, checked, changed by PATCH."""

from __future__ import annotations

import pytest

from tests.conftest import CASE_FIELDS


@pytest.fixture
def staff(api_as, officer):
    return api_as(officer)


def test_the_case_json_carries_the_channel_given_or_its_default(staff):
    by_default = staff.post("/api/v1/cases", json={**CASE_FIELDS, "raised_by_email": ""})
    assert by_default.status_code == 201
    assert by_default.get_json()["channel"] == "none"
    phone = staff.post(
        "/api/v1/cases", json={**CASE_FIELDS, "raised_by_email": "", "raised_by_phone": "012345678"}
    )
    assert phone.get_json()["channel"] == "sms"
    chosen = staff.post("/api/v1/cases", json={**CASE_FIELDS, "channel": "telegram"})
    assert chosen.get_json()["channel"] == "telegram"


def test_a_channel_without_its_contact_or_unknown_is_422_and_nothing_changes(staff):
    refused = staff.post("/api/v1/cases", json={**CASE_FIELDS, "channel": "sms"})
    assert refused.status_code == 422
    assert "channel" in refused.get_json()["errors"]
    unknown = staff.post("/api/v1/cases", json={**CASE_FIELDS, "channel": "pigeon"})
    assert unknown.status_code == 422
    created = staff.post("/api/v1/cases", json=CASE_FIELDS).get_json()
    path = f"/api/v1/cases/{created['reference']}"
    etag = staff.get(path).headers["ETag"]
    emptied = staff.patch(
        path, json={"raised_by_email": "", "channel": "email"}, headers={"If-Match": etag}
    )
    assert emptied.status_code == 422
    changed = staff.patch(path, json={"channel": "none"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["channel"] == "none"
