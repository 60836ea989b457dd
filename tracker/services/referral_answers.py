"""Which referral a response answers, and whether the case moves on with it.

A case may be referred to several agencies at once; each answers its own referral. An agency
user answers its agency's open referral; staff name the agency (``agency_id``) when more than
one is open. The case leaves its state only with the last open referral's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tracker.models import Case, Referral, User

ANSWERED_ALREADY = "Your agency's referral of this case is already answered."
NAME_THE_AGENCY = "Several agencies have an open referral: choose the one that answered."
NOT_OPEN = "This agency has no open referral of this case."


@dataclass(frozen=True)
class Answer:
    """The referral a response answers (None: the case has no open one) and those left open."""

    referral: Referral | None
    still_open: tuple[Referral, ...]

    @property
    def partial(self) -> bool:
        """Other referrals stay open: the answer is recorded, the case keeps its state."""
        return self.referral is not None and bool(self.still_open)


def open_referrals(case: Case) -> list[Referral]:
    """The case's referrals not answered yet, oldest first."""
    return [r for r in case.referrals if r.answered_at is None]


def choose_referral(actor: User, case: Case, values: Mapping[str, Any]) -> Answer:
    """The referral this actor's response answers; ValueError (field, message) when unclear."""
    open_ones = open_referrals(case)
    named = values.get("agency_id")
    agency_id = actor.agency_id if actor.role == "agency" else getattr(named, "id", None)
    if actor.role == "agency" and named is not None and named.id != actor.agency_id:
        raise ValueError(NOT_OPEN)
    if agency_id is not None:
        chosen = next((r for r in reversed(open_ones) if r.agency_id == agency_id), None)
        if chosen is None:
            raise ValueError(NOT_OPEN)
    elif len({r.agency_id for r in open_ones}) > 1:
        raise ValueError(NAME_THE_AGENCY)
    else:
        chosen = open_ones[-1] if open_ones else None
    return Answer(chosen, tuple(r for r in open_ones if r is not chosen))
