"""The API schema and the service cleaning take their limits from one field specification."""

from __future__ import annotations

import pytest

from tracker.field_spec import CASE_FIELDS
from tracker.schemas.cases import CaseCreateSchema, CaseUpdateSchema
from tracker.services.case_fields import clean_case_fields
from tracker.services.confidentiality import CONFIDENTIAL_FIELDS
from tracker.services.errors import ValidationFailed

TEXT_FIELDS = [name for name, spec in CASE_FIELDS.items() if spec.kind == "text"]
CODE_FIELDS = [name for name, spec in CASE_FIELDS.items() if spec.kind == "code"]


def refused_by_schema(name: str, value: object) -> bool:
    return name in CaseUpdateSchema().validate({name: value})


def refused_by_service(name: str, value: object) -> bool:
    try:
        clean_case_fields({name: value}, creating=False)
    except ValidationFailed as exc:
        return name in exc.errors
    return False


def test_the_limits_are_those_of_the_product():
    limits = {name: CASE_FIELDS[name].max_length for name in TEXT_FIELDS}
    assert limits == {
        "title": 300,
        "description": 20000,
        "raised_by_name": 200,
        "raised_by_phone": 40,
    }
    assert CASE_FIELDS["raised_by_email"].max_length == 254
    # Besides the case's own fields: its workflow, and (staff only) whether it is confidential.
    assert set(CaseCreateSchema().fields) == {*CASE_FIELDS, "workflow", *CONFIDENTIAL_FIELDS}


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_schema_and_service_agree_on_text_limits(app, name):
    limit = CASE_FIELDS[name].max_length
    assert not refused_by_schema(name, "x" * limit)
    assert not refused_by_service(name, "x" * limit)
    assert refused_by_schema(name, "x" * (limit + 1))
    assert refused_by_service(name, "x" * (limit + 1))


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("dara@example.org", True),
        ("", True),
        ("dara@example", False),
        ("dara example@example.org", False),
        ("dara@example.org, sok@example.org", False),
        ('"Dara" <dara@example.org>', False),
        ("dara@example.org\r\nBcc: x@example.org", False),
        ("d" * 250 + "@x.org", False),  # 256 characters
    ],
)
def test_schema_and_service_agree_on_the_email_rule(app, value, valid):
    assert refused_by_schema("raised_by_email", value) is not valid
    assert refused_by_service("raised_by_email", value) is not valid


@pytest.mark.parametrize("name", CODE_FIELDS)
def test_schema_and_service_agree_on_choices(app, name):
    # A channel other than "none" or "telegram" needs its contact (tested in test_channel_rule).
    choice = "none" if name == "channel" else next(iter(CASE_FIELDS[name].choices))
    assert not refused_by_schema(name, choice) and not refused_by_service(name, choice)
    assert refused_by_schema(name, "nonsense") and refused_by_service(name, "nonsense")


def test_schema_and_service_agree_on_the_people_count(app):
    assert not refused_by_schema("people_affected", 10_000_000)
    assert not refused_by_service("people_affected", 10_000_000)
    assert refused_by_schema("people_affected", 10_000_001)
    assert refused_by_service("people_affected", 10_000_001)
