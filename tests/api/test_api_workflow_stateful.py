"""Hypothesis drives the workflow through the API with random triggers fired by random roles.

A pure model says what each request must answer; the case's state never moves outside the
workflow, no role fires what it may not, and the timeline always replays to the state.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tracker.services.tokens import issue_token_for
from workflows import CASE_WORKFLOW

ROLES = ("admin", "officer", "agency", "other_agency", "representative", "other_representative")
TRIGGERS = tuple(t.trigger for t in CASE_WORKFLOW.transitions)


def expected_answer(role: str, trigger: str, state: str, referred: bool) -> tuple[int, str]:
    """The status the API must give and the state after it, from the workflow as data."""
    staff = role in ("admin", "officer")
    visible = staff or role == "representative" or (role == "agency" and referred)
    if not visible:
        return 404, state
    transition = CASE_WORKFLOW.transition(trigger)
    if state not in transition.sources:
        return 409, state
    base_role = "agency" if role == "agency" else role
    if base_role not in transition.roles:
        return 403, state
    return 200, transition.dest


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
            self.state = "logged"
            self.referred = False
            self.version = answer.get_json()["version"]

        @rule(data=st.data())
        def advance(self, data: st.DataObject) -> None:
            """Fire a trigger the model allows now, as a role that may fire it."""
            choices = [
                (role, t.trigger)
                for t in CASE_WORKFLOW.triggers_from(self.state)
                for role in ROLES
                if expected_answer(role, t.trigger, self.state, self.referred)[0] == 200
            ]
            role, trigger = data.draw(st.sampled_from(choices))
            self.fire(role, trigger)

        @rule(role=st.sampled_from(ROLES), trigger=st.sampled_from(TRIGGERS))
        def fire(self, role: str, trigger: str) -> None:
            """Fire any trigger as anyone; the model says what must come back."""
            status, new_state = expected_answer(role, trigger, self.state, self.referred)
            answer = client.post(
                f"{self.path}/transitions",
                json={"trigger": trigger, **valid_data[trigger]},
                headers=headers[role],
            )
            assert answer.status_code == status, (role, trigger, self.state, answer.get_json())
            if status == 409:
                allowed = [
                    t.trigger
                    for t in CASE_WORKFLOW.triggers_from(self.state)
                    if ("agency" if "agency" in role else role) in t.roles
                ]
                assert answer.get_json()["allowed"] == allowed
            self.state = new_state
            states_seen.add(new_state)
            self.referred = self.referred or (status == 200 and trigger == "refer")

        @rule(
            role=st.sampled_from(("admin", "officer")), state=st.sampled_from(CASE_WORKFLOW.states)
        )
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
            assert case["state"] == self.state
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
            assert replayed == self.state

    run_state_machine_as_test(
        CaseLife,
        settings=settings(
            max_examples=12,
            stateful_step_count=10,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert states_seen == set(CASE_WORKFLOW.states)
