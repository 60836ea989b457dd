"""A third workflow, written to a temporary WORKFLOW_PATH, runs with no code change: the API,
the web form, its labels, its emails (through a real SMTP server), reminders and reports."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask

from notifications.delivery import deliver
from notifications.reminders import queue_reminders
from tests.api.conftest import ApiClient
from tests.conftest import test_settings, wipe_data
from tests.web.conftest import IsolatedClient, fire, forms_on, post_form, post_login, state_of
from tracker import create_app
from tracker.extensions import db
from tracker.models import now_utc
from tracker.services.reports import summarise_cases
from tracker.services.tokens import issue_token_for

APPEAL = """
name: appeal
label: {en: Appeal, km: បណ្តឹងឧទ្ធរណ៍}
initial: submitted
final: [settled, unsettled]
states:
  submitted: {en: Submitted, km: បានដាក់ស្នើ}
  conciliating: {en: In conciliation, km: កំពុងផ្សះផ្សា}
  settled: {en: Settled, km: បានសះជា}
  unsettled: {en: Not settled, km: មិនបានសះជា}
deadlines: {submitted: 5, conciliating: 30}
transitions:
  - trigger: conciliate
    from: [submitted]
    to: conciliating
    roles: [officer, admin]
    label: {en: Start conciliation, km: ចាប់ផ្តើមការផ្សះផ្សា}
    fields:
      conciliators: {type: text, max: 500, required: true, label: {en: Conciliators, km: អ្នកផ្សះផ្សា}}
    notify: [{to: [raiser, owner]}]
  - trigger: settle
    from: [conciliating]
    to: settled
    roles: [officer, admin]
    label: {en: Record the settlement, km: កត់ត្រាការសះជា}
    fields:
      terms: {type: text, max: 2000, required: true, label: {en: Terms agreed, km: លក្ខខណ្ឌ}}
    effects: [record_outcome]
    notify: [{to: [raiser]}]
  - trigger: give_up
    from: [conciliating]
    to: unsettled
    roles: [admin]
    label: {en: Record no settlement, km: កត់ត្រាថាមិនបានសះជា}
    fields:
      resolution: {type: text, required: true, label: {en: Why, km: មូលហេតុ}}
    effects: [record_outcome]
"""
# record_outcome reads a text field "resolution"; the settle trigger names its own field.
APPEAL = APPEAL.replace("terms: {type: text, max: 2000", "resolution: {type: text, max: 2000")
CASE = {
    "title": "Appeal against a refused claim",
    "description": "The claim was refused without a reason.",
    "category": "benefits",
    "raised_by_email": "dara@example.org",
    "workflow": "appeal",
}


@pytest.fixture
def app(db_url: str, tmp_path) -> Iterator[Flask]:
    """The app with the appeal definition in its WORKFLOW_PATH (and nothing else changed)."""
    (tmp_path / "appeal.yaml").write_text(APPEAL, encoding="utf-8")
    app = create_app(test_settings(db_url, WORKFLOW_PATH=str(tmp_path)))
    with app.app_context():
        yield app
        db.session.remove()
        wipe_data()
        db.engine.dispose()


def test_an_appeal_runs_with_no_code_change(app, smtp, officer, admin):
    api = ApiClient(app.test_client(), issue_token_for(officer).token)
    created = api.post("/api/v1/cases", json=CASE)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["workflow"], body["state"]) == ("appeal", "submitted")
    reference, code = body["reference"], body["access_code"]
    path = f"/api/v1/cases/{reference}/transitions"

    refused = api.post(path, json={"trigger": "settle", "resolution": "x"})
    assert refused.status_code == 409 and refused.get_json()["allowed"] == ["conciliate"]
    missing = api.post(path, json={"trigger": "conciliate"})
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["conciliators"]
    too_long = api.post(path, json={"trigger": "conciliate", "conciliators": "x" * 501})
    assert too_long.status_code == 422
    moved = api.post(path, json={"trigger": "conciliate", "conciliators": "Mr Vuthy, Ms Srey"})
    assert moved.status_code == 200 and moved.get_json()["state"] == "conciliating"

    web = app.test_client()
    web.__class__ = IsolatedClient
    post_login(web, officer.email)
    page = web.get(f"/cases/{reference}").get_data(as_text=True)
    assert forms_on(page) == {"settle"}  # give_up is the admins'
    for label in ("Appeal", "In conciliation", "Record the settlement", "Terms agreed"):
        assert label in page
    assert "Start conciliation: Submitted → In conciliation" in page
    assert fire(web, reference, "settle", resolution="").status_code == 422
    assert fire(web, reference, "settle", resolution="Claim paid in May.").status_code == 302
    assert state_of(reference) == "settled"

    status = post_form(web, "/status", {"reference": reference, "access_code": code})
    assert "Settled" in status.get_data(as_text=True)

    deliver(now_utc() + timedelta(minutes=5))
    subjects = sorted(str(m.message["Subject"]) for m in smtp.handler.to("dara@example.org"))
    assert any("Start conciliation" in s for s in subjects), subjects
    assert any("Record the settlement" in s for s in subjects), subjects

    rows = summarise_cases(admin, ["state"]).rows
    assert {"state": "settled", "count": 1} in rows


def test_an_appeal_gets_its_reminders(app, make_case, admin, outbox_rows, now):
    logged = make_case(workflow="appeal", now=now).case
    assert logged.due_at is not None  # 5 working days in "submitted"
    db.session.execute(db.text("DELETE FROM outbox"))
    db.session.commit()
    queue_reminders(logged.due_at - timedelta(hours=2))
    db.session.commit()
    # no owner yet: the admins are reminded (no case is ever nobody's)
    assert [(r.template, r.recipient_email) for r in outbox_rows()] == [
        ("reminder_due_soon", admin.email)
    ]


def test_a_missing_field_of_the_new_workflow_is_said_in_khmer(app, make_user, make_case):
    reference = make_case(workflow="appeal").case.reference
    web = app.test_client()
    web.__class__ = IsolatedClient
    post_login(web, make_user("officer", language="km").email)
    refused = fire(web, reference, "conciliate", conciliators="")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "ត្រូវបំពេញចន្លោះនេះ។" in html  # "This field is required." (no catalog has its verb)
    assert "Required to conciliate." not in html
    assert state_of(reference) == "submitted"


def test_each_trigger_fires_through_the_web_form_and_the_api(app, officer, admin, make_case):
    """conciliate on the web, then give_up (the admins') through the API, and back again."""
    web = app.test_client()
    web.__class__ = IsolatedClient
    post_login(web, officer.email)
    api = ApiClient(app.test_client(), issue_token_for(admin).token)
    first, second = (make_case(workflow="appeal").case.reference for _ in range(2))
    assert fire(web, first, "conciliate", conciliators="Ms Srey").status_code == 302
    given_up = api.post(
        f"/api/v1/cases/{first}/transitions", json={"trigger": "give_up", "resolution": "No deal."}
    )
    assert given_up.status_code == 200 and given_up.get_json()["state"] == "unsettled"
    moved = api.post(
        f"/api/v1/cases/{second}/transitions", json={"trigger": "conciliate", "conciliators": "Vy"}
    )
    assert moved.status_code == 200
    web_admin = app.test_client()
    web_admin.__class__ = IsolatedClient
    post_login(web_admin, admin.email)
    assert fire(web_admin, second, "give_up", resolution="Walked out.").status_code == 302
    assert (state_of(first), state_of(second)) == ("unsettled", "unsettled")
