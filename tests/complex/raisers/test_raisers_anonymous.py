"""Anonymous concerns: no name or contact through the API, the web form and an import; logged,
acknowledged nowhere, followed with the access code only, counted in the reports."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from tests.support import csv_bytes
from tests.web.conftest import post_form
from tracker.extensions import db
from tracker.models import Case

CONCERN = {
    "title": "Fined for joining the union",
    "description": "The supervisor deducts a day's wage from those who join.",
    "category": "employer_compliance",
}
CODE = re.compile(r'class="access-code">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})<')


def _status(api, reference: str, code: str) -> int:
    return api.get(f"/api/v1/public/cases/{reference}", headers={"X-Access-Code": code}).status_code


def test_anonymous_through_the_api(api_as, officer, outbox_rows):
    api = api_as(officer)
    created = api.post("/api/v1/cases", json=CONCERN)
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["raised_by_name"], body["raised_by_email"], body["raised_by_phone"]) == ("",) * 3
    assert body["consent_share"] is False
    assert outbox_rows() == []  # acknowledged nowhere: no one to tell
    assert _status(api_as(None), body["reference"], body["access_code"]) == 200
    raisers = api.get(f"/api/v1/cases/{body['reference']}/raisers").json["items"]
    assert [(r["position"], r["anonymous"]) for r in raisers] == [(1, True)]
    summary = api.get("/api/v1/reports/summary?by=category").json
    assert (summary["total"], summary["anonymous"]) == (1, 1)


def test_anonymous_through_the_web_form(client, login, officer, outbox_rows, api_as):
    login(officer)
    form = client.get("/cases/new").get_data(as_text=True)
    assert "Name and contact are optional" in form
    data = {**CONCERN, "gender_focus": "unspecified", "priority": "normal", "language": "km"}
    logged = post_form(client, "/cases/new", data)
    assert logged.status_code == 302
    page = client.get(logged.headers["Location"]).get_data(as_text=True)
    code = CODE.search(page).group(1)
    assert "Anonymous" in page
    case = db.session.scalar(select(Case))
    assert outbox_rows() == []
    status = post_form(client, "/status", {"reference": case.reference, "access_code": code})
    assert status.status_code == 200 and case.title in status.get_data(as_text=True)
    assert "Anonymous concerns (no name or contact): 1" in client.get("/reports").get_data(
        as_text=True
    )


def test_anonymous_through_an_import(api_as, officer, forum, outbox_rows):
    api = api_as(officer)
    header = ["title", "description", "category", "raised_by_name", "raised_by_phone"]
    rows = [[CONCERN["title"], CONCERN["description"], "employer_compliance", "", ""]]
    imported = api.post(
        f"/api/v1/forums/{forum.id}/imports",
        data={"file": (io.BytesIO(csv_bytes(rows, header)), "forum.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 201, imported.json
    [reference] = imported.json["references"]
    assert outbox_rows() == []
    code = api.post(f"/api/v1/cases/{reference}/access-code", json={}).json["access_code"]
    assert _status(api_as(None), reference, code) == 200


def test_anonymous_through_raise_and_kobo(client, api_as, officer, forum, outbox_rows):
    page = client.get("/raise").get_data(as_text=True)
    assert "Your name (optional)" in page and 'name="consent_share"' in page
    answer = post_form(client, "/raise", {**CONCERN, "language": "en", "consent_share": "y"})
    assert answer.status_code == 200
    code = CODE.search(answer.get_data(as_text=True)).group(1)
    case = db.session.scalar(select(Case))
    assert case.consent_share is True and case.raised_by_name == ""
    assert _status(api_as(None), case.reference, code) == 200
    kobo = {"_uuid": "anonymous-1", "group_a/title": "No card", **CONCERN}
    kobo.pop("title")
    pushed = api_as(officer).post(f"/api/v1/forums/{forum.id}/kobo", json=kobo)
    assert pushed.status_code == 201, pushed.json
    assert outbox_rows() == []  # neither is acknowledged: no one to write to
