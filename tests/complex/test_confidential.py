"""Confidential cases (issue 11): only the admins and the officers named on the case see it;
everyone else gets the 404 of a case that does not exist, on every route that could reveal it;
its messages carry only its reference; each view of it is in its timeline."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications.delivery import deliver
from notifications.digest import queue_digests
from tests.api.conftest import ApiClient
from tests.notifications.conftest import local
from tests.support import trigger_data
from tests.web.conftest import IsolatedClient, post_login
from tracker.extensions import db
from tracker.models import Case, Event, Forum, Organisation, User
from tracker.services.cases import log_case
from tracker.services.transitions import fire_trigger

SECRET = {
    "title": "Harassment by a clinic employee",
    "description": "A nurse at the district clinic threatens the women who complain.",
    "category": "healthcare",
    "province": "KH-12",
    "raised_by_name": "Chan Sophea",
    "raised_by_email": "sophea@example.org",
}
PLAIN = {
    "title": "Contributions not registered",
    "description": "Workers find they are not registered when they need care.",
    "category": "contributions",
    "province": "KH-12",
}
MISSING = "GRV-2026-99999"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="[^"]*"')
LOGGED_AT = local(3, 2, 9)  # Monday 2 March 2026, 09:00 in Phnom Penh


@dataclass
class Scene:
    """A confidential case (referred to the NSSF) and a plain one, both of one forum."""

    secret: Case
    secret_code: str
    plain: Case
    owner: User  # logged it (named by doing so), owns it
    named: User  # on its team
    other: User  # an officer not named on it
    forum: Forum


@pytest.fixture
def scene(app: Flask, make_user, agency, organisation: Organisation, forum: Forum) -> Scene:
    """Log and refer a confidential case through the services, and a plain one."""
    owner, named, other = (make_user("officer") for _ in range(3))
    organisation_id = organisation.id
    logged = log_case(
        owner,
        {
            **SECRET,
            "forum_id": forum.id,
            "organisation_id": organisation_id,
            "confidential": True,
            "team_ids": [named.id],
        },
        now=LOGGED_AT,
    )
    reference = logged.case.reference
    for trigger in ("analyse", "refer"):
        fire_trigger(
            owner, reference, trigger, trigger_data(trigger, owner.id, agency.id), now=LOGGED_AT
        )
    plain = log_case(
        owner, {**PLAIN, "forum_id": forum.id, "organisation_id": organisation_id}, now=LOGGED_AT
    )
    secret = db.session.scalar(select(Case).where(Case.reference == reference))
    return Scene(secret, logged.access_code, plain.case, owner, named, other, forum)


def outsiders(scene: Scene, agency_user: User, representative: User) -> dict[str, User]:
    """Who must not see the case: another officer, the agency it was referred to, and a
    representative of the organisation that raised it."""
    return {"officer": scene.other, "agency": agency_user, "representative": representative}


def web_as(app: Flask, user: User) -> FlaskClient:
    """A browser-like client logged in as the user through /login."""
    app.test_client_class = IsolatedClient
    client = app.test_client()
    assert post_login(client, user.email).status_code == 302
    return client


def same_not_found(first, second, reference: str) -> None:
    """Two answers are the same 404, but for the reference each names (and a page's
    fresh CSRF token)."""
    assert first.status_code == second.status_code == 404

    def text(answer) -> str:
        return CSRF.sub("", answer.get_data(as_text=True).replace(reference, MISSING))

    assert text(first) == text(second)


def views_of(case: Case) -> list[Event]:
    """The 'viewed' events of the case, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Event).where(Event.case_id == case.id, Event.kind == "viewed").order_by(Event.id)
        )
    )


def test_the_api_answers_404_to_everyone_not_named(
    scene: Scene, api_as, agency_user, representative
):
    ref = scene.secret.reference
    for role, user in outsiders(scene, agency_user, representative).items():
        api: ApiClient = api_as(user)
        same_not_found(api.get(f"/api/v1/cases/{ref}"), api.get(f"/api/v1/cases/{MISSING}"), ref)
        same_not_found(
            api.get(f"/api/v1/cases/{ref}/events"),
            api.get(f"/api/v1/cases/{MISSING}/events"),
            ref,
        )
        same_not_found(
            api.post(f"/api/v1/cases/{ref}/comments", json={"body": "Any news?"}),
            api.post(f"/api/v1/cases/{MISSING}/comments", json={"body": "Any news?"}),
            ref,
        )
        for query in ("", f"?q={ref}", "?q=clinic", f"?forum_id={scene.forum.id}"):
            listed = api.get(f"/api/v1/cases{query}").get_json()
            assert ref not in [item["reference"] for item in listed["items"]], (role, query)
        everything = api.get("/api/v1/cases").get_json()
        assert everything["total"] == len(everything["items"]), role
    # The other officer could see the plain case, and its totals leave the secret one out.
    listed = api_as(scene.other).get(f"/api/v1/cases?forum_id={scene.forum.id}").get_json()
    assert [item["reference"] for item in listed["items"]] == [scene.plain.reference]
    assert listed["total"] == 1
    # Bulk triage refuses it as it refuses a case that does not exist.
    bulk = api_as(scene.other).post(
        "/api/v1/cases/bulk-transitions",
        json={"references": [ref], "trigger": "respond", "response": "Done."},
    )
    missing = api_as(scene.other).post(
        "/api/v1/cases/bulk-transitions",
        json={"references": [MISSING], "trigger": "respond", "response": "Done."},
    )
    assert bulk.status_code == missing.status_code
    assert bulk.get_json()["errors"][ref] == [
        message.replace(MISSING, ref) for message in missing.get_json()["errors"][MISSING]
    ]


def test_the_named_officers_and_admins_see_it_and_each_view_is_recorded(
    scene: Scene, api_as, admin, app
):
    ref = scene.secret.reference
    version = scene.secret.version
    for user in (scene.owner, scene.named, admin):
        answer = api_as(user).get(f"/api/v1/cases/{ref}")
        assert answer.status_code == 200
        body = answer.get_json()
        assert body["confidential"] is True
        assert body["title"] == SECRET["title"]
        assert sorted(body["team_ids"]) == sorted([scene.owner.id, scene.named.id])
        assert body["version"] == version  # a view changes nothing of the case
    listed = api_as(scene.named).get(f"/api/v1/cases?q={ref}").get_json()
    assert [item["reference"] for item in listed["items"]] == [ref]
    created = db.session.scalar(
        select(Event).where(Event.case_id == scene.secret.id, Event.kind == "created")
    )
    assert created.data == {"confidential": True}
    views = views_of(scene.secret)
    assert [(v.actor_id, v.data["via"]) for v in views] == [
        (scene.owner.id, "api"),
        (scene.named.id, "api"),
        (admin.id, "api"),
    ]
    # The page records its view too, and the timeline shows every view: who and when.
    page = web_as(app, scene.named).get(f"/cases/{ref}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert SECRET["title"] in html and "data-confidential" in html
    assert html.count("Viewed the confidential case") == 4
    assert admin.name in html
    assert len(views_of(scene.secret)) == 4
    events = api_as(admin).get(f"/api/v1/cases/{ref}/events?per_page=100").get_json()["items"]
    assert [e["actor_id"] for e in events if e["kind"] == "viewed"][:4] == [
        scene.owner.id,
        scene.named.id,
        admin.id,
        scene.named.id,
    ]
    db.session.expire_all()
    assert db.session.get(Case, scene.secret.id).version == version


def test_pages_exports_reports_and_briefs_reveal_nothing_to_the_others(
    scene: Scene, app, agency_user, representative
):
    ref, forum_id = scene.secret.reference, scene.forum.id
    secret_words = (ref, SECRET["title"], SECRET["description"])
    for role, user in outsiders(scene, agency_user, representative).items():
        web = web_as(app, user)
        same_not_found(web.get(f"/cases/{ref}"), web.get(f"/cases/{MISSING}"), ref)
        for page in (
            "/cases",
            f"/cases?q={ref}",
            "/cases?q=clinic",
            "/cases/export.csv",
            "/",
            "/reports",
            "/reports/export.csv?by=category",
            "/referrals",
        ):
            answer = web.get(page)
            text = answer.get_data(as_text=True)
            # A search for the reference repeats it (search box, links): nothing is found.
            words = secret_words[1:] if ref in page else secret_words
            assert not any(word in text for word in words), (role, page, answer.status_code)
            if "q=" in page:
                assert '<span class="count">0</span>' in text
    # The officer's forum brief lists the plain case only; the confidential one is a number.
    brief = web_as(app, scene.other).get(f"/forums/{forum_id}/brief")
    assert brief.status_code == 200
    text = brief.get_data(as_text=True)
    assert scene.plain.reference in text
    assert not any(word in text for word in secret_words)
    # Slips: the secret reference is refused as one that does not exist.
    slips = web_as(app, scene.other)
    hidden = slips.get(f"/forums/{forum_id}/slips?references={ref}")
    missing = slips.get(f"/forums/{forum_id}/slips?references={MISSING}")
    assert hidden.status_code == missing.status_code != 200
    assert ref not in slips.get(f"/forums/{forum_id}/slips").get_data(as_text=True)
    # The public report-back and the scorecard: counted in the total, never listed.
    public = app.test_client()
    back = public.get(f"/api/v1/public/forums/{forum_id}").get_json()
    assert [c["reference"] for c in back["cases"]] == [scene.plain.reference]
    assert back["totals"]["cases"] == 2
    assert back["totals"]["by_state"] == {"logged": 1}
    page = public.get(f"/forums/{forum_id}/report-back").get_data(as_text=True)
    assert scene.plain.reference in page
    assert not any(word in page for word in secret_words)
    scorecard = public.get("/api/v1/public/agencies").get_json()["rows"]
    assert all(row["referrals"] == 0 for row in scorecard)


def test_reports_count_it_in_the_total_only(scene: Scene, api_as, admin):
    for user in (scene.other, scene.named, admin):
        summary = api_as(user).get("/api/v1/reports/summary?by=category").get_json()
        assert summary["rows"] == [{"category": "contributions", "count": 1}]
        assert summary["total"] == 2
        crossed = api_as(user).get("/api/v1/reports/summary?by=category,province").get_json()
        assert sum(row["count"] for row in crossed["rows"]) == 1
        assert crossed["total"] == 2


def test_the_raiser_still_follows_it_with_the_access_code(scene: Scene, app):
    public = app.test_client()
    ref = scene.secret.reference
    own = public.get(f"/api/v1/public/cases/{ref}?access_code={scene.secret_code}")
    assert own.status_code == 200
    assert own.get_json()["state"] == "referred"
    wrong = public.get(f"/api/v1/public/cases/{ref}?access_code=WRONG-CODE")
    missing = public.get(f"/api/v1/public/cases/{MISSING}?access_code=WRONG-CODE")
    same_not_found(wrong, missing, ref)


def test_only_staff_set_it_and_the_team_must_be_officers(
    app, api_as, representative, officer, agency_user
):
    raised = api_as(representative).post(
        "/api/v1/cases", json={**PLAIN, "confidential": True, "team_ids": [officer.id]}
    )
    assert raised.status_code == 422
    assert set(raised.get_json()["errors"]) == {"confidential", "team_ids"}
    wrong_team = api_as(officer).post(
        "/api/v1/cases", json={**PLAIN, "confidential": True, "team_ids": [agency_user.id]}
    )
    assert wrong_team.status_code == 422
    assert list(wrong_team.get_json()["errors"]) == ["team_ids"]
    assert db.session.scalar(select(Case.id)) is None  # nothing was logged


def test_marking_a_case_confidential_hides_it_at_once(app, api_as, make_user, officer):
    other = make_user("officer")
    created = api_as(officer).post("/api/v1/cases", json=PLAIN).get_json()
    ref = created["reference"]
    assert created["confidential"] is False
    assert api_as(other).get(f"/api/v1/cases/{ref}").status_code == 200
    etag = api_as(officer).get(f"/api/v1/cases/{ref}").headers["ETag"]
    changed = api_as(officer).patch(
        f"/api/v1/cases/{ref}", json={"confidential": True}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.get_json()["team_ids"] == [officer.id]  # whoever marks it stays named
    created_event = db.session.scalar(select(Event).where(Event.kind == "created"))
    assert "confidential" not in created_event.data
    assert api_as(other).get(f"/api/v1/cases/{ref}").status_code == 404
    edited = db.session.scalars(
        select(Event).where(Event.kind == "edited").order_by(Event.id)
    ).all()
    assert edited[-1].data["fields"] == ["confidential", "team_ids"]


def test_the_web_form_marks_it_and_names_the_team(app, make_user, officer):
    from tests.web.conftest import post_form

    named, other = make_user("officer"), make_user("officer")
    web = web_as(app, officer)
    answer = post_form(
        web,
        "/cases/new",
        {
            **PLAIN,
            "gender_focus": "all",
            "priority": "normal",
            "language": "en",
            "workflow": "case",
            "confidential": "y",
            "team_ids": [str(named.id)],
        },
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
    ref = answer.headers["Location"].rsplit("/", 1)[-1]
    assert web_as(app, named).get(f"/cases/{ref}").status_code == 200
    assert web_as(app, other).get(f"/cases/{ref}").status_code == 404
    form = web.get(f"/cases/{ref}/edit").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="confidential"', form)
    assert re.search(rf'<option selected value="{named.id}">', form)


def test_its_emails_and_digests_carry_only_the_reference(
    scene: Scene, app, smtp, admin, agency_user
):
    deliver(local(3, 2, 10))
    assert queue_digests(local(3, 9, 8))["queued"] > 0
    deliver(local(3, 9, 9))
    ref = scene.secret.reference
    about = [m for m in smtp.handler.messages if ref in m.content.decode("utf-8", "replace")]
    templates = {m.message["Subject"] for m in about}
    # The acknowledgement, the referral to the NSSF, and the agency's digest at least.
    recipients = {r for m in about for r in m.rcpt_tos}
    assert "sophea@example.org" in recipients
    assert "referrals@nssf.example.org" in recipients
    assert agency_user.email in recipients, templates
    for message in about:
        whole = message.message
        texts = [p for p in whole.walk() if p.get_content_type().startswith("text/")]
        parts = [str(whole["Subject"]), *(part.get_content() for part in texts)]
        text = "\n".join(parts)
        for secret in (SECRET["title"], SECRET["description"], "Please answer within"):
            assert secret not in text, (message.rcpt_tos, whole["Subject"])
