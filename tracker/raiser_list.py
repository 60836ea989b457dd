"""A case's raisers as one list: the first (the case's own columns), then the further rows.

No services here, so notifications and access read the same list the services write.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_

from tracker.models import Case, Raiser


def first_raiser(case: Case) -> Raiser:
    """The case's first raiser, as an unsaved ``Raiser`` (``id`` None) read from the case."""
    return Raiser(
        id=None,
        case_id=case.id,
        name=case.raised_by_name or "",
        email=case.raised_by_email or "",
        phone=case.raised_by_phone or "",
        organisation_id=case.organisation_id,
        language=case.language or "en",
        channel=case.channel,
        consent_share=bool(case.consent_share),
        access_code_hash=case.access_code_hash,
        people_affected=None,
        created_by_id=case.created_by_id,
        created_at=case.created_at,
    )


def raisers_of(case: Case) -> list[Raiser]:
    """Every raiser of the case, first (unsaved, from the case's columns) to last added."""
    return [first_raiser(case), *case.raisers]


def anonymous_case() -> ColumnElement[bool]:
    """SQL condition: the case's (first) raiser gave no name and no contact, as
    ``Raiser.anonymous`` says of one raiser."""
    return and_(Case.raised_by_name == "", Case.raised_by_email == "", Case.raised_by_phone == "")
