"""The closed vocabulary a definition file may use: field types, effects, recipients."""

from __future__ import annotations

AGENCY_DEADLINE = "agency"
LANGUAGES = ("en", "km")
DEFAULT_TEXT_MAX = 20000
DEFAULT_TEMPLATE = "case_transition"

# A field's type says what its value is: free text, one of its choices, an active staff user
# (by id), an agency (by id), a case category (by code) or another open case (by reference).
FIELD_TYPES = ("text", "choice", "user", "agency", "category", "case")

# The outcome a case merged into another closes with (one of the close trigger's choices).
MERGED_OUTCOME = "duplicate"

# What a trigger may do to a case beyond the state change, and the fields each effect reads.
EFFECT_FIELDS: dict[str, dict[str, str]] = {
    "set_owner": {"owner_id": "user"},
    "set_category": {"category": "category"},
    "open_referral": {"agency_id": "agency"},
    "answer_referral": {"response": "text"},
    "record_outcome": {"resolution": "text"},
    "clear_outcome": {},
    "hold": {"reason": "text", "waiting_for": "choice"},
    "resume": {},
    # Close as a duplicate of the case named in ``into``: outcome MERGED_OUTCOME, its raisers
    # follow that case (which records the merge on its own timeline).
    "merge_into": {"into": "case"},
}

# Who a trigger's email may go to: the case's owner, whoever raised it, the contact addresses
# of the agency it is referred to, every admin.
RECIPIENTS = ("owner", "raiser", "agency", "admins")
