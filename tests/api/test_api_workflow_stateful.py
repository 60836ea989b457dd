"""Hypothesis drives the workflow through the API with random triggers fired by random roles.

A pure model says what each request must answer: the PRODUCT.md table typed out in
tests/support.py (CASE_TABLE, MAY_FIRE), never computed from the production definition. The
case's state never moves outside the workflow, no role fires what it may not, and the timeline
always replays to the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tests.support import CASE_TABLE, MAY_FIRE, STATES, TRIGGERS, next_state
from tracker.services.tokens import issue_token_for

ROLES = ("admin", "officer", "agency", "other_agency", "representative", "other_representative")


@dataclass
class Model:
    """What the oracle tracks of the case."""

    state: str = "logged"
    referred: bool = False  # ever referred to "agency" (so its focal point sees the case)
    open_referral: bool = False  # referred and not yet answered
    held: str | None = None  # the state the case was held in


def _kept_case(client, headers: dict[str, str]) -> str:
    """An open case the merge trigger may merge into (nobody touches it)."""
    body = {"title": "Leave pay (first)", "description": "Not paid.", "category": "benefits"}
    answer = client.post("/api/v1/cases", json=body, headers=headers)
    assert answer.status_code == 201
    return answer.get_json()["reference"]


def _base(role: str) -> str:
    return "agency" if "agency" in role else role.removeprefix("other_")


def allowed_for(role: str, model: Model) -> list[str]:
    """The triggers the role may fire now, in definition order (what a 409 lists)."""
    if role == "agency" and not model.open_referral:
        return []
    return [t for t in TRIGGERS if (model.state, t) in CASE_TABLE and _base(role) in MAY_FIRE[t]]


def expected_answer(role: str, trigger: str, model: Model) -> tuple[int, str]:
    """The status the API must give and the state after it, from the typed-out table."""
    staff = role in ("admin", "officer")
    visible = staff or role == "representative" or (role == "agency" and model.referred)
    if not visible:
        return 404, model.state
    if (model.state, trigger) not in CASE_TABLE:
        return 409, model.state
    if role == "agency" and not model.open_referral:
        return 403, model.state  # an agency acts only on its own open referral
    if _base(role) not in MAY_FIRE[trigger]:
        return 403, model.state
    return 200, next_state(model.state, trigger, model.held)


def test_random_triggers_by_random_roles_follow_the_workflow(
    app, client, make_user, agency, other_agency, organisation, other_organisation
):
    users = {
        "admin": make_user("admin"),
        "officer": make_user("officer"),
        "agency": make_user("agency", agency_id=agency.id),
        "other_agency": make_user("agency", agency_id=other_agency.id),
        "representative": make_user("representative", organisation_id=organisation.id),
        "other_representative": make_user("representative", organisation_id=other_organisation.id),
    }
    headers = {
        role: {"Authorization": f"Bearer {issue_token_for(user).token}"}
        for role, user in users.items()
    }
    valid_data: dict[str, dict[str, Any]] = {
        "analyse": {"owner_id": users["officer"].id, "note": "Payroll checked."},
        "refer": {"agency_id": agency.id, "note": "Please answer."},
        "respond": {"response": "Paid."},
        "close": {"outcome": "resolved", "resolution": "Paid in full."},
        "reopen": {"reason": "Not paid after all."},
        "hold": {"reason": "Waiting for the payslips.", "waiting_for": "raiser"},
        "resume": {"note": "The payslips came."},
        "merge": {"into": _kept_case(client, headers["officer"]), "note": "Raised twice."},
    }

    states_seen: set[str] = set()

    class CaseLife(RuleBasedStateMachine):
        """One case, created by the representative, pushed around by everyone."""

        def __init__(self) -> None:
            super().__init__()
            answer = client.post(
                "/api/v1/cases",
                json={"title": "Leave pay", "description": "Not paid.", "category": "benefits"},
                headers=headers["representative"],
            )
            assert answer.status_code == 201
            self.path = f"/api/v1/cases/{answer.get_json()['reference']}"
            self.model = Model()
            self.version = answer.get_json()["version"]

        @rule(data=st.data())
        def advance(self, data: st.DataObject) -> None:
            """Fire a trigger the model allows now, as a role that may fire it."""
            choices = [
                (role, trigger)
                for trigger in TRIGGERS
                for role in ROLES
                if expected_answer(role, trigger, self.model)[0] == 200
            ]
            role, trigger = data.draw(st.sampled_from(choices))
            self.fire(role, trigger)

        @rule(role=st.sampled_from(ROLES), trigger=st.sampled_from(TRIGGERS))
        def fire(self, role: str, trigger: str) -> None:
            """Fire any trigger as anyone; the model says what must come back."""
            model = self.model
            status, new_state = expected_answer(role, trigger, model)
            answer = client.post(
                f"{self.path}/transitions",
                json={"trigger": trigger, **valid_data[trigger]},
                headers=headers[role],
            )
            assert answer.status_code == status, (role, trigger, model, answer.get_json())
            if status == 409:
                assert answer.get_json()["allowed"] == allowed_for(role, model)
            if status == 200:
                model.held = model.state if trigger == "hold" else model.held
                model.held = None if trigger == "resume" else model.held
                model.referred = model.referred or trigger == "refer"
                model.open_referral = {"refer": True, "respond": False}.get(
                    trigger, model.open_referral
                )
            model.state = new_state
            states_seen.add(new_state)

        @rule(role=st.sampled_from(("admin", "officer")), state=st.sampled_from(STATES))
        def set_state_directly(self, role: str, state: str) -> None:
            """Mass assignment of the state is refused."""
            answer = client.patch(
                self.path, json={"state": state}, headers={**headers[role], "If-Match": "*"}
            )
            assert answer.status_code == 422

        @invariant()
        def state_matches_the_model_and_the_timeline(self) -> None:
            """The API's state is the model's, and the transitions replay to it."""
            case = client.get(self.path, headers=headers["officer"]).get_json()
            assert case["state"] == self.model.state
            assert case["version"] >= self.version
            self.version = case["version"]
            events = client.get(
                f"{self.path}/events?per_page=100", headers=headers["officer"]
            ).get_json()["items"]
            replayed = "logged"
            for event in events:
                if event["kind"] == "transition":
                    assert event["from_state"] == replayed
                    replayed = event["to_state"]
            assert replayed == self.model.state

    run_state_machine_as_test(
        CaseLife,
        settings=settings(
            max_examples=15,
            stateful_step_count=12,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert states_seen == set(STATES)
