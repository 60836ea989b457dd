"""Test helpers shared across test folders: complete trigger data and paths to each state."""

from __future__ import annotations

STATES = ("logged", "analysed", "referred", "responded", "closed")
TRIGGERS = ("analyse", "refer", "respond", "close", "reopen")  # definition order

# (state, trigger) -> new state: the workflow table of PRODUCT.md, written out independently of
# the engine's definition; every other pair is refused.
CASE_TABLE = {
    ("logged", "analyse"): "analysed",
    ("analysed", "refer"): "referred",
    ("responded", "refer"): "referred",
    ("referred", "respond"): "responded",
    ("analysed", "close"): "closed",
    ("responded", "close"): "closed",
    ("closed", "reopen"): "analysed",
}


# The data each trigger needs, given the officer's id and the agency's id.
def trigger_data(trigger: str, owner_id: int, agency_id: int) -> dict:
    """Complete, valid data for a trigger."""
    return {
        "analyse": {"owner_id": owner_id, "note": "Analysed against the forum notes."},
        "refer": {"agency_id": agency_id, "note": "Please answer within your deadline."},
        "respond": {"response": "We are simplifying the registration process."},
        "close": {"outcome": "resolved", "resolution": "Reported back at the forum."},
        "reopen": {"reason": "The workers report the problem again."},
    }[trigger]


# How to reach each state from logged, as a path of triggers.
PATHS = {
    "logged": [],
    "analysed": ["analyse"],
    "referred": ["analyse", "refer"],
    "responded": ["analyse", "refer", "respond"],
    "closed": ["analyse", "close"],
}
