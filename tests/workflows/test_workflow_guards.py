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
    type_errors,
    valid_choice,
)
from workflows.spec import Field, Transition

PARCEL = Transition(
    trigger="send_parcel",
    sources=("packed",),
    dests=("sent",),
    roles=frozenset({"clerk", "admin"}),
    fields={
        "address": Field("address", "text", required=True, max=100),
        "size": Field("size", "choice", required=True, choices={"small": {}, "large": {}}),
        "courier_id": Field("courier_id", "user"),
    },
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
def test_each_outcome_of_the_definition_is_valid(outcome):
    assert choice_errors(CASE_WORKFLOW.transition("close"), {"outcome": outcome}) == {}


@pytest.mark.parametrize("data", [{"outcome": "fixed"}, {"outcome": 1}])
def test_other_outcomes_are_refused_with_the_list(data):
    errors = choice_errors(CASE_WORKFLOW.transition("close"), data)
    assert errors == {"outcome": ["Must be one of: " + ", ".join(OUTCOMES) + "."]}


def test_type_errors_check_kinds_and_lengths():
    assert type_errors(PARCEL, {"address": "x" * 100, "courier_id": 3}) == {}
    assert type_errors(PARCEL, {"address": "x" * 101}) == {
        "address": ["Must be text of at most 100 characters."]
    }
    assert type_errors(PARCEL, {"address": 5, "courier_id": "3"}) == {
        "address": ["Must be text."],
        "courier_id": ["Must be the id of a record."],
    }


def test_valid_choice_is_exact():
    assert valid_choice("small", ("small", "large"))[0]
    assert not valid_choice("Small", ("small", "large"))[0]
    assert not valid_choice(["small"], ("small", "large"))[0]


def test_close_carries_the_outcome_choices():
    assert tuple(CASE_WORKFLOW.transition("close").choices["outcome"]) == OUTCOMES
