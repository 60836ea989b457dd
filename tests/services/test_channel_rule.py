"""The raiser's channel: its default, the contact it needs, the phone numbers SMS takes."""

from __future__ import annotations

import pytest

from tracker.raiser_channel import channel_problem, default_channel, phone_number
from tracker.services.case_fields import clean_case_fields
from tracker.services.errors import ValidationFailed


@pytest.mark.parametrize(
    ("email", "phone", "channel"),
    [
        ("dara@example.org", "012 345 678", "email"),
        ("", "012 345 678", "sms"),
        ("", "not a number", "none"),
        ("", "", "none"),
    ],
)
def test_the_default_is_email_else_sms_else_none(email, phone, channel):
    assert default_channel(email, phone) == channel


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("012 345 678", "+85512345678"),
        ("+855 12-345-678", "+85512345678"),
        ("855 97 123 4567", "+855971234567"),
        ("0085512345678", "+85512345678"),
        ("12345", None),
        ("call me", None),
        ("", None),
    ],
)
def test_phone_numbers_are_read_as_e164(written, e164):
    assert phone_number(written) == e164


def test_a_chosen_channel_needs_its_contact(app):
    assert channel_problem("sms", "dara@example.org", "") is not None
    assert channel_problem("email", "", "012 345 678") is not None
    assert channel_problem("telegram", "", "") is None
    with pytest.raises(ValidationFailed) as refused:
        clean_case_fields({"channel": "sms", "raised_by_phone": "nope"}, creating=False)
    assert "channel" in refused.value.errors
    # An edit is checked against the contact the case keeps.
    kept = {"channel": None, "raised_by_email": "", "raised_by_phone": "012 345 678"}
    assert clean_case_fields({"channel": "sms"}, creating=False, current=kept) == {"channel": "sms"}
    with pytest.raises(ValidationFailed):
        clean_case_fields(
            {"raised_by_phone": ""}, creating=False, current={**kept, "channel": "sms"}
        )
