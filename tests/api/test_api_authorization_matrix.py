"""Every API route × every role × own/other object, expected statuses from one table.

A route under /api that is missing from the table fails ``test_every_api_route_is_in_the_table``.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask import Flask

from tests.conftest import TEST_PASSWORD, wipe_data
from tests.conftest import test_settings as settings_for_tests
from tracker import create_app
from tracker.extensions import db
from tracker.models import Agency, Forum, Organisation, User
from tracker.services.cases import add_comment, log_case
from tracker.services.tokens import issue_token_for
from tracker.services.transitions import fire_trigger
from tracker.services.users import create_user

ROLES = ("admin", "officer", "agency", "representative", "anonymous")
OBJECTS = ("own", "other")
STAFF = ("admin", "officer")


@dataclass
class World:
    """Two of everything: what a role's user owns (own) and what belongs to others (other)."""

    app: Flask
    users: dict[str, User]
    agencies: dict[str, Agency]
    organisations: dict[str, Organisation]
    forums: dict[str, Forum]
    tokens: dict[str, str]
    counter: Iterator[int] = field(default_factory=itertools.count)

    def case(self, obj: str) -> tuple[str, str, int]:
        """A fresh referred case; 'own' is the rep's organisation's, referred to the agency's."""
        officer = self.users["officer"]
        logged = log_case(
            officer,
            {
                "title": "Contributions not paid",
                "description": "The employer deducts but does not pay contributions.",
                "category": "contributions",
                "organisation_id": self.organisations[obj].id,
                "raised_by_name": "Sok Dara",
            },
        )
        ref = logged.case.reference
        fire_trigger(officer, ref, "analyse", {"owner_id": officer.id, "note": "Check payroll."})
        case = fire_trigger(
            officer, ref, "refer", {"agency_id": self.agencies[obj].id, "note": "Please check."}
        )
        return ref, logged.access_code, case.version


def _user(role: str, email: str, **fields: Any) -> User:
    return create_user(email=email, password=TEST_PASSWORD, role=role, **fields)


@pytest.fixture(scope="module")
def world(db_url: str) -> Iterator[World]:
    """Build the shared people and records once; each case-changing request gets fresh cases."""
    app = create_app(settings_for_tests(db_url))
    with app.app_context():
        agencies = {o: Agency(code=f"AG{o}", name_en=f"Agency {o}") for o in OBJECTS}
        organisations = {o: Organisation(name=f"Union {o}") for o in OBJECTS}
        forums = {o: Forum(title=f"Forum {o}", date=date(2025, 12, 1)) for o in OBJECTS}
        db.session.add_all([*agencies.values(), *organisations.values(), *forums.values()])
        db.session.commit()
        users = {
            "admin": _user("admin", "admin@example.org"),
            "officer": _user("officer", "officer@example.org"),
            "agency": _user("agency", "focal@example.org", agency_id=agencies["own"].id),
            "representative": _user(
                "representative", "rep@example.org", organisation_id=organisations["own"].id
            ),
        }
        tokens = {role: issue_token_for(user).token for role, user in users.items()}
        yield World(app, users, agencies, organisations, forums, tokens)
        db.session.remove()
        wipe_data()
        db.engine.dispose()


# --- expectations: (status for own object, status for other object) per role ---------------


def everyone(ok: int) -> dict[str, tuple[int, int]]:
    """Any signed-in user; no token is 401."""
    return {role: (ok, ok) for role in ROLES[:-1]} | {"anonymous": (401, 401)}


def admins(ok: int) -> dict[str, tuple[int, int]]:
    """Admins only; other signed-in users 403."""
    return everyone(403) | {"admin": (ok, ok)}


def staff(ok: int) -> dict[str, tuple[int, int]]:
    """Officers and admins; agencies and representatives 403."""
    return admins(ok) | {"officer": (ok, ok)}


def case_route(ok: int, *, agency: int, representative: int) -> dict[str, tuple[int, int]]:
    """Staff see every case; others theirs only — another's case is 404, like a missing one."""
    return everyone(ok) | {"agency": (agency, 404), "representative": (representative, 404)}


def public_route() -> dict[str, tuple[int, int]]:
    """No token needed; 'other' is a wrong access code."""
    return {role: (200, 404) for role in ROLES}


# --- how each route is called ----------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One route: how to build its request for a role and an object, and what it answers."""

    method: str
    path: Callable[[World, str, str], str]
    expect: dict[str, tuple[int, int]]
    body: Callable[[World, str, str], Any] | None = None
    headers: Callable[[World, str, str], dict[str, str]] | None = None
    files: Callable[[World, str, str], dict[str, Any]] | None = None


def fixed(path: str) -> Callable[[World, str, str], str]:
    """A path with no object in it."""
    return lambda world, role, obj: path


def own_record(collection: str, kind: str) -> Callable[[World, str, str], str]:
    """/api/v1/<collection>/<id> of the own or other record."""
    return lambda world, role, obj: f"/api/v1/{collection}/{getattr(world, kind)[obj].id}"


def user_record(world: World, role: str, obj: str) -> str:
    """Own: the caller themselves; other: someone else."""
    me = world.users.get(role, world.users["officer"])
    other = world.users["admin"] if me is not world.users["admin"] else world.users["officer"]
    return f"/api/v1/users/{(me if obj == 'own' else other).id}"


def new_name(world: World, role: str, obj: str) -> str:
    """A name no record has yet."""
    return f"{role}-{obj}-{next(world.counter)}"


def import_csv(world: World, role: str, obj: str) -> bytes:
    """A one-row import file with a concern no one has logged yet."""
    return f"title,description,category\nImported {new_name(world, role, obj)},x,other\n".encode()


CASE_BODY = {"title": "Clinic refuses card", "description": "Asked to pay.", "category": "other"}

TABLE: dict[tuple[str, str], Call] = {
    ("api-docs.openapi_json", "GET"): Call(
        "GET", fixed("/api/v1/openapi.json"), {role: (200, 200) for role in ROLES}
    ),
    ("auth.create_token", "POST"): Call(
        "POST",
        fixed("/api/v1/auth/token"),
        {role: (201, 401) for role in ROLES[:-1]} | {"anonymous": (401, 401)},
        body=lambda w, role, obj: {
            "email": w.users[role].email if role in w.users and obj == "own" else "x@example.org",
            "password": TEST_PASSWORD,
        },
    ),
    ("auth.delete_token", "DELETE"): Call("DELETE", fixed("/api/v1/auth/token"), everyone(204)),
    ("cases.list_cases", "GET"): Call("GET", fixed("/api/v1/cases"), everyone(200)),
    ("cases.create_case", "POST"): Call(
        "POST",
        fixed("/api/v1/cases"),
        everyone(201) | {"agency": (403, 403)},
        body=lambda w, role, obj: CASE_BODY,
    ),
    ("cases.get_case_view", "GET"): Call(
        "GET",
        lambda w, r, o: "/api/v1/cases/{ref}",
        case_route(200, agency=200, representative=200),
    ),
    ("cases.patch_case", "PATCH"): Call(
        "PATCH",
        lambda w, r, o: "/api/v1/cases/{ref}",
        case_route(200, agency=403, representative=403),
        body=lambda w, role, obj: {"priority": "high"},
        headers=lambda w, r, o: {"If-Match": '"{ref}.{version}"'},
    ),
    ("cases.fire_transition", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/cases/{ref}/transitions",
        case_route(200, agency=200, representative=403),
        body=lambda w, role, obj: {"trigger": "respond", "response": "Paid on 2 May."},
    ),
    ("cases.list_events", "GET"): Call(
        "GET",
        lambda w, r, o: "/api/v1/cases/{ref}/events",
        case_route(200, agency=200, representative=200),
    ),
    ("cases.create_comment", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/cases/{ref}/comments",
        case_route(201, agency=201, representative=201),
        body=lambda w, role, obj: {"body": "More workers are affected."},
    ),
    ("raisers.list_raisers", "GET"): Call(
        "GET",
        lambda w, r, o: "/api/v1/cases/{ref}/raisers",
        case_route(200, agency=200, representative=200),
    ),
    ("raisers.create_raiser", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/cases/{ref}/raisers",
        case_route(201, agency=403, representative=201),
        body=lambda w, role, obj: {"name": "Chan Sophea", "people_affected": 12},
    ),
    ("public.lookup_case", "GET"): Call(
        "GET",
        lambda w, r, o: "/api/v1/public/cases/{ref}?access_code={code}",
        public_route(),
    ),
    ("public.lookup_case_by_post", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/public/cases/{ref}#{code}",
        public_route(),
        body=lambda w, role, obj: {"access_code": "{code}"},
    ),
    # The cases of this table are referred, not closed: the right code gets 409 (not yet).
    ("public.case_feedback", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/public/cases/{ref}/feedback#{code}",
        {role: (409, 404) for role in ROLES},
        body=lambda w, role, obj: {"access_code": "{code}", "resolved": "yes"},
    ),
    ("public.forum_report", "GET"): Call(
        "GET",
        lambda w, r, o: f"/api/v1/public/forums/{w.forums[o].id}",
        {role: (200, 200) for role in ROLES},
    ),
    ("public.agencies_scorecard", "GET"): Call(
        "GET", fixed("/api/v1/public/agencies"), {role: (200, 200) for role in ROLES}
    ),
    ("cases.write_public_summary", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/cases/{ref}/public-summary",
        case_route(200, agency=403, representative=403),
        body=lambda w, role, obj: {"public_summary": "Contributions paid.", "approve": True},
    ),
    ("forum_intake.import_file", "POST"): Call(
        "POST",
        lambda w, r, o: f"/api/v1/forums/{w.forums[o].id}/imports",
        staff(201),
        files=lambda w, role, obj: {"file": (io.BytesIO(import_csv(w, role, obj)), "forum.csv")},
    ),
    ("forum_intake.kobo_submission", "POST"): Call(
        "POST",
        lambda w, r, o: f"/api/v1/forums/{w.forums[o].id}/kobo",
        staff(201),
        body=lambda w, role, obj: {
            "_uuid": new_name(w, role, obj),
            "group_a/title": f"Kobo {new_name(w, role, obj)}",
            "description": "Asked to pay at the clinic.",
            "category": "healthcare",
        },
    ),
    ("case_triage.bulk_transitions", "POST"): Call(
        "POST",
        fixed("/api/v1/cases/bulk-transitions"),
        staff(200),
        body=lambda w, role, obj: {
            "references": [w.case(obj)[0]],
            "trigger": "respond",
            "response": "Paid on 2 May.",
        },
    ),
    ("case_triage.reissue_code", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/cases/{ref}/access-code",
        staff(201) | {"agency": (403, 404), "representative": (403, 404)},
        body=lambda w, role, obj: {},
    ),
    ("related.similar", "GET"): Call(
        "GET", fixed("/api/v1/cases/similar?text=Contributions+not+paid"), everyone(200)
    ),
    ("related.list_links", "GET"): Call(
        "GET",
        lambda w, r, o: "/api/v1/cases/{ref}/links",
        case_route(200, agency=200, representative=200),
    ),
    ("related.create_link", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/cases/{ref}/links",
        staff(201) | {"agency": (403, 404), "representative": (403, 404)},
        body=lambda w, role, obj: {"reference": w.case(obj)[0]},
    ),
    ("related.merge", "POST"): Call(
        "POST",
        lambda w, r, o: "/api/v1/cases/{ref}/merge",
        staff(200) | {"agency": (403, 404), "representative": (403, 404)},
        body=lambda w, role, obj: {"into": w.case(obj)[0]},
    ),
    ("reports.summary", "GET"): Call(
        "GET", fixed("/api/v1/reports/summary?by=state"), everyone(200)
    ),
    ("reports.agency_performance_report", "GET"): Call(
        "GET", fixed("/api/v1/reports/agencies"), everyone(200)
    ),
    ("reports.satisfaction_report", "GET"): Call(
        "GET", fixed("/api/v1/reports/satisfaction"), everyone(200)
    ),
    ("reports.workflow", "GET"): Call("GET", fixed("/api/v1/workflows/case"), everyone(200)),
    ("reports.workflows", "GET"): Call("GET", fixed("/api/v1/workflows"), everyone(200)),
    ("users.list_records", "GET"): Call("GET", fixed("/api/v1/users"), everyone(200)),
    ("users.get_one", "GET"): Call("GET", user_record, everyone(200)),
    ("users.create_record", "POST"): Call(
        "POST",
        fixed("/api/v1/users"),
        admins(201),
        body=lambda w, role, obj: {
            "email": f"{new_name(w, role, obj)}@example.org",
            "password": TEST_PASSWORD,
            "role": "officer",
        },
    ),
    ("users.update_record", "PATCH"): Call(
        "PATCH", user_record, admins(200), body=lambda w, role, obj: {"name": f"Renamed {role}"}
    ),
    # Own: the right current password (204, and every token of the caller ends, so the test
    # issues a fresh one); other: a wrong one (422).
    ("password.change_password", "POST"): Call(
        "POST",
        fixed("/api/v1/auth/password"),
        everyone(204) | {role: (204, 422) for role in ROLES[:-1]},
        body=lambda w, role, obj: {
            "current_password": TEST_PASSWORD if obj == "own" else "not the password",
            "new_password": TEST_PASSWORD,
        },
    ),
    ("audit.list_entries", "GET"): Call("GET", fixed("/api/v1/audit?action=login"), admins(200)),
}
# Officers create the forum whose concerns they log (the web intake does the same).
for _name, _kind, _writers, _body in (
    (
        "agencies",
        "agencies",
        admins,
        lambda w, r, o: {"code": f"A{next(w.counter)}", "name_en": "New"},
    ),
    ("organisations", "organisations", admins, lambda w, r, o: {"name": new_name(w, r, o)}),
    ("forums", "forums", staff, lambda w, r, o: {"title": "Forum", "date": "2026-01-15"}),
):
    TABLE[(f"{_name}.list_records", "GET")] = Call("GET", fixed(f"/api/v1/{_name}"), everyone(200))
    TABLE[(f"{_name}.get_one", "GET")] = Call("GET", own_record(_name, _kind), everyone(200))
    TABLE[(f"{_name}.create_record", "POST")] = Call(
        "POST", fixed(f"/api/v1/{_name}"), _writers(201), body=_body
    )
    TABLE[(f"{_name}.update_record", "PATCH")] = Call(
        "PATCH", own_record(_name, _kind), _writers(200), body=_body
    )

CASES = [
    pytest.param(route, role, obj, id=f"{route[0]}-{route[1]}-{role}-{obj}")
    for route in TABLE
    for role in ROLES
    for obj in OBJECTS
]


def test_every_api_route_is_in_the_table(world: World) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in world.app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - set(TABLE) == set(), "routes missing from the authorization table"
    assert set(TABLE) - routes == set(), "table rows for routes that do not exist"


@pytest.mark.parametrize(("route", "role", "obj"), CASES)
def test_authorization_matrix(world: World, route: tuple[str, str], role: str, obj: str) -> None:
    call = TABLE[route]
    path = call.path(world, role, obj)
    headers = call.headers(world, role, obj) if call.headers else {}
    if "{ref}" in path or any("{ref}" in v for v in headers.values()):
        ref, code, version = world.case(obj)
        code = code if obj == "own" else "WRONG-CODE-0000"
        fill = {"ref": ref, "code": code, "version": version}
        path = path.format(**fill)
        headers = {k: v.format(**fill) for k, v in headers.items()}
    token = world.tokens.get(role)
    if route == ("auth.delete_token", "DELETE") and token:
        token = issue_token_for(world.users[role]).token  # revoke a token of its own
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = call.body(world, role, obj) if call.body else None
    if "#" in path:  # the access code travels in the body, not in the URL
        path, code = path.split("#", 1)
        body = {key: code if value == "{code}" else value for key, value in body.items()}
    send: dict[str, Any] = {"json": body}
    if call.files:
        send = {"data": call.files(world, role, obj), "content_type": "multipart/form-data"}
    response = world.app.test_client().open(path, method=call.method, headers=headers, **send)
    if route == ("password.change_password", "POST") and role in world.users:
        world.tokens[role] = issue_token_for(world.users[role]).token  # the old ones ended
    expected = call.expect[role][0 if obj == "own" else 1]
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if expected >= 400:
        assert response.mimetype == "application/problem+json"


# --- after a re-referral: the earlier agency keeps the public facts and its own referral -----

OWN_NOTE, OWN_ANSWER = "Own agency: check payroll.", "Own agency answer: paid in May."
NEWER_NOTE, INTERNAL = "Newer agency: audit the employer.", "Staff only: employer is a donor."
SHARED = "Forty more workers affected."


def rereferred_case(world: World) -> str:
    """A case referred to the 'own' agency, answered by it, then referred to the 'other' one."""
    officer = world.users["officer"]
    logged = log_case(officer, {**CASE_BODY, "organisation_id": world.organisations["own"].id})
    ref = logged.case.reference
    fire_trigger(officer, ref, "analyse", {"owner_id": officer.id, "note": "Check payroll."})
    fire_trigger(officer, ref, "refer", {"agency_id": world.agencies["own"].id, "note": OWN_NOTE})
    fire_trigger(world.users["agency"], ref, "respond", {"response": OWN_ANSWER})
    newer = {"agency_id": world.agencies["other"].id, "note": NEWER_NOTE}
    fire_trigger(officer, ref, "refer", newer)
    add_comment(officer, ref, INTERNAL, internal=True)
    add_comment(officer, ref, SHARED)
    return ref


@pytest.fixture(scope="module")
def current_agency_token(world: World) -> str:
    """A focal point of the 'other' agency, which holds the re-referred case now."""
    with world.app.app_context():
        user = _user("agency", "focal-other@example.org", agency_id=world.agencies["other"].id)
        return issue_token_for(user).token


# (method, path, body) -> (status for the earlier agency, status for the current agency)
AFTER_REREFERRAL: dict[tuple[str, str], tuple[Any, tuple[int, int]]] = {
    ("GET", "/api/v1/cases/{ref}"): (None, (200, 200)),
    ("GET", "/api/v1/cases/{ref}/events"): (None, (200, 200)),
    ("POST", "/api/v1/cases/{ref}/comments"): ({"body": SHARED}, (201, 201)),
    ("POST", "/api/v1/cases/{ref}/comments#internal"): (
        {"body": "Our view.", "internal": True},
        (403, 201),
    ),
    ("POST", "/api/v1/cases/{ref}/transitions"): (
        {"trigger": "respond", "response": "Audited."},
        (403, 200),
    ),
}


@pytest.mark.parametrize("route", list(AFTER_REREFERRAL), ids=lambda r: f"{r[0]}-{r[1]}")
@pytest.mark.parametrize("holder", ["earlier", "current"])
def test_after_rereferral_the_earlier_agency_may_do_less(
    world: World, current_agency_token: str, route: tuple[str, str], holder: str
) -> None:
    method, path = route
    body, expected = AFTER_REREFERRAL[route]
    token = world.tokens["agency"] if holder == "earlier" else current_agency_token
    ref = rereferred_case(world)
    response = world.app.test_client().open(
        path.split("#")[0].format(ref=ref),
        method=method,
        json=body,
        headers={"Authorization": f"Bearer {token}"},
    )
    status = expected[0 if holder == "earlier" else 1]
    assert response.status_code == status, response.get_data(as_text=True)[:500]


def _notes(world: World, token: str, ref: str) -> list[Any]:
    client = world.app.test_client()
    answer = client.get(
        f"/api/v1/cases/{ref}/events?per_page=100", headers={"Authorization": f"Bearer {token}"}
    )
    return [event["note"] for event in answer.get_json()["items"]]


def test_after_rereferral_the_earlier_agency_reads_its_own_referral_only(
    world: World, current_agency_token: str
) -> None:
    ref = rereferred_case(world)
    earlier = _notes(world, world.tokens["agency"], ref)
    assert OWN_NOTE in earlier and OWN_ANSWER in earlier and SHARED in earlier
    assert NEWER_NOTE not in earlier and INTERNAL not in earlier
    assert "Check payroll." not in earlier  # the analysis note is internal to the holder
    assert None in earlier  # the newer referral is on the timeline, without its note
    current = _notes(world, current_agency_token, ref)
    assert {OWN_NOTE, OWN_ANSWER, NEWER_NOTE, INTERNAL, SHARED} <= set(current)
    staff_view = _notes(world, world.tokens["officer"], ref)
    assert {NEWER_NOTE, INTERNAL} <= set(staff_view)


def test_after_rereferral_the_case_page_shows_the_same(world: World) -> None:
    ref = rereferred_case(world)
    client = world.app.test_client()
    with world.app.app_context():
        login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/login",
        data={"csrf_token": token, "email": "focal@example.org", "password": TEST_PASSWORD},
    )
    page = client.get(f"/cases/{ref}").get_data(as_text=True)
    assert OWN_NOTE in page and OWN_ANSWER in page and SHARED in page
    assert NEWER_NOTE not in page and INTERNAL not in page
    assert 'name="internal"' not in page  # no internal-note box for an earlier agency
