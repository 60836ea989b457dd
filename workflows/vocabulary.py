"""The closed vocabulary a definition file may use: field types, effects, recipients."""

from __future__ import annotations

AGENCY_DEADLINE = "agency"
LANGUAGES = ("en", "km")
DEFAULT_TEXT_MAX = 20000
DEFAULT_TEMPLATE = "case_transition"

# A field's type says what its value is: free text, one of its choices, an active staff user
# (by id), an agency (by id), one or more agencies (a list of ids), a case category (by code)
# or another open case (by reference).
FIELD_TYPES = ("text", "choice", "user", "agency", "agencies", "category", "case")
# The types whose value is a list (a field of such a type may also name ``single``: another
# name under which one value alone is accepted, as bodies written before lists were).
LIST_TYPES = {"agencies": "agency"}
MAX_LIST_ITEMS = 20

# The outcome a case merged into another closes with (one of the close trigger's choices).
MERGED_OUTCOME = "duplicate"

# What a trigger may do to a case beyond the state change, and the fields each effect reads.
EFFECT_FIELDS: dict[str, dict[str, str]] = {
    "set_owner": {"owner_id": "user"},
    "set_category": {"category": "category"},
    "open_referral": {"agency_ids": "agencies"},
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
