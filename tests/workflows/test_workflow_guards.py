"""Guard predicates: pure, and each says why it fails."""

from __future__ import annotations

import pytest

from workflows.case import CASE_WORKFLOW, OUTCOMES
from workflows.guards import (
    choice_errors,
    field_errors,
    has_required_fields,
    is_blank,
    may_fire_from,
    role_may_fire,
    valid_choice,
    valid_outcome,
)
from workflows.spec import Transition

PARCEL = Transition(
    trigger="send_parcel",
    sources=("packed",),
    dest="sent",
    roles=frozenset({"clerk", "admin"}),
    required=("address", "size"),
    choices={"size": ("small", "large")},
)


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        (None, True),
        ("", True),
        (" \t\n", True),
        ([], True),
        ({}, True),
        ("x", False),
        (0, False),
        (False, False),
        ([0], False),
    ],
)
def test_is_blank(value, blank):
    assert is_blank(value) is blank


def test_has_required_fields_names_every_missing_field():
    errors = has_required_fields(PARCEL, {"size": "  "})
    assert errors == {
        "address": ["Required to send parcel."],
        "size": ["Required to send parcel."],
    }
    assert has_required_fields(PARCEL, {"address": "Phnom Penh", "size": "bogus"}) == {}


def test_has_required_fields_example_from_the_case_workflow():
    errors = has_required_fields(CASE_WORKFLOW.transition("analyse"), {"owner_id": 1})
    assert errors == {"category": ["Required to analyse."], "note": ["Required to analyse."]}


def test_choice_errors_check_present_values_only():
    assert choice_errors(PARCEL, {}) == {}
    assert choice_errors(PARCEL, {"size": "large"}) == {}
    assert choice_errors(PARCEL, {"size": "huge"}) == {"size": ["Must be one of: small, large."]}


def test_field_errors_merge_in_required_order():
    errors = field_errors(PARCEL, {"size": "huge"})
    assert list(errors) == ["address", "size"]
    assert errors["size"] == ["Must be one of: small, large."]


@pytest.mark.parametrize(
    ("role", "ok"), [("clerk", True), ("admin", True), ("agency", False), (None, False)]
)
def test_role_may_fire(role, ok):
    allowed, reason = role_may_fire(PARCEL, role)
    assert allowed is ok
    if ok:
        assert reason == ""
    else:
        assert reason == "Only admin or clerk may send parcel."


def test_role_reason_lists_three_roles():
    _, reason = role_may_fire(CASE_WORKFLOW.transition("respond"), "representative")
    assert reason == "Only admin, agency or officer may respond."


def test_may_fire_from():
    assert may_fire_from(PARCEL, "packed") == (True, "")
    ok, reason = may_fire_from(PARCEL, "sent")
    assert not ok
    assert "sent" in reason


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_valid_outcome_accepts_each_outcome(outcome):
    assert valid_outcome({"outcome": outcome}) == (True, "")


@pytest.mark.parametrize("data", [{}, {"outcome": "fixed"}, {"outcome": None}, {"outcome": 1}])
def test_valid_outcome_refuses_others_and_lists_outcomes(data):
    ok, reason = valid_outcome(data)
    assert not ok
    assert reason == "Must be one of: " + ", ".join(OUTCOMES) + "."


def test_valid_choice_is_exact():
    assert valid_choice("small", ("small", "large"))[0]
    assert not valid_choice("Small", ("small", "large"))[0]
    assert not valid_choice(["small"], ("small", "large"))[0]


def test_close_carries_the_outcome_choices():
    assert tuple(CASE_WORKFLOW.transition("close").choices["outcome"]) == OUTCOMES
