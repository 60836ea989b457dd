"""The case fields written once: limits, choices and the email rule.

The API's marshmallow schemas (``tracker.schemas.cases``) and the service-side cleaning
(``tracker.services.case_fields``) are both built from ``CASE_FIELDS``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tracker.codes import (
    AFFECTED_GROUPS,
    CHANNELS,
    FEEDBACK,
    GENDER_FOCUS,
    LANGUAGES,
    PRIORITIES,
    PROVINCES,
)

EMAIL_MAX_LENGTH = 254
# One plain mailbox: no spaces, line breaks, lists, quotes or comments (no header injection).
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\]+$")


def is_email_address(value: str) -> bool:
    """Tell whether text is one plain email address of at most 254 characters."""
    return len(value) <= EMAIL_MAX_LENGTH and _EMAIL.match(value) is not None


@dataclass(frozen=True)
class FieldSpec:
    """One case field: its kind and the limits every entry point applies to it.

    kind: "text" (a string of at most ``max_length``), "email" (text that is empty or one
    address), "code" (one of ``choices``), "category" (an active category code), "record" (the
    id of a ``record`` row), "count" (a whole number from ``low`` to ``high``) or "flag" (true or
    false; yes/no in a file or form).
    """

    kind: str
    max_length: int | None = None
    required: bool = False
    multiline: bool = False
    choices: Mapping[str, object] | None = None
    blank: bool = True  # may be empty (None) when not required
    record: str | None = None
    low: int = 0
    high: int = 0


# In the order the web form shows them: what every concern needs first, then what people fill
# in as they go.
CASE_FIELDS: dict[str, FieldSpec] = {
    "title": FieldSpec("text", max_length=300, required=True),
    "description": FieldSpec("text", max_length=20000, required=True, multiline=True),
    "category": FieldSpec("category", max_length=40, required=True),
    "forum_id": FieldSpec("record", record="Forum"),
    "province": FieldSpec("code", choices=PROVINCES),
    "affected_group": FieldSpec("code", choices=AFFECTED_GROUPS),
    "gender_focus": FieldSpec("code", choices=GENDER_FOCUS, blank=False),
    "people_affected": FieldSpec("count", low=0, high=10_000_000),
    "priority": FieldSpec("code", choices=PRIORITIES, blank=False),
    "language": FieldSpec("code", choices=LANGUAGES, blank=False),
    "organisation_id": FieldSpec("record", record="Organisation"),
    "raised_by_name": FieldSpec("text", max_length=200),
    "raised_by_email": FieldSpec("email", max_length=EMAIL_MAX_LENGTH),
    "raised_by_phone": FieldSpec("text", max_length=40),
    # Blank: the default of tracker.raiser_channel (email, else SMS, else none).
    "channel": FieldSpec("code", choices=CHANNELS),
    # Whether the first raiser agreed that the agencies see their name and contact.
    "consent_share": FieldSpec("flag"),
}
REQUIRED_ON_CREATE = tuple(name for name, spec in CASE_FIELDS.items() if spec.required)

# The texts written for the public (never personal data or internal notes): the answer the
# officer writes at closing, and the case's summary in the forum's report-back (public once an
# officer approves it).
PUBLIC_TEXT_FIELDS: dict[str, FieldSpec] = {
    "resolution_public": FieldSpec("text", max_length=5000, multiline=True),
    "public_summary": FieldSpec("text", max_length=2000, multiline=True),
}

# "Was it resolved?": the raiser's answer after a closing, and the comment that may come with it.
FEEDBACK_ANSWERS = tuple(FEEDBACK)
FEEDBACK_COMMENT = FieldSpec("text", max_length=2000, multiline=True)
