"""Triage many cases at once: the same action on each, all in one transaction or none."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tracker import access
from tracker.models import Case, User, now_utc
from tracker.services.cases import assign_case
from tracker.services.errors import (
    Conflict,
    DomainError,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from tracker.services.transitions import fire_trigger
from tracker.services.unit_of_work import one_transaction

ASSIGN = "assign"  # not a workflow trigger: make an officer the owner, the state stays
MAX_BULK = 500


class BulkRefused(DomainError):
    """Some cases refused the action; ``errors`` names each by reference (``refusals``: each
    case's own error, for callers that word it themselves). Nothing changed."""

    def __init__(self, refusals: dict[str, DomainError]) -> None:
        errors = {reference: _reasons(refused) for reference, refused in refusals.items()}
        super().__init__(
            f"{len(errors)} case(s) refused; none was changed: {', '.join(sorted(errors))}.",
            errors,
        )
        self.refusals = refusals
        # some case was in the wrong state (else: invalid input)
        self.conflict = any(isinstance(refused, Conflict) for refused in refusals.values())


def act_on_cases(
    actor: User,
    references: Sequence[str],
    action: str,
    data: Mapping[str, Any] | None = None,
    *,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> list[Case]:
    """Fire one trigger (or assign an owner) on every case; one event each, all or none."""
    wanted = list(dict.fromkeys(references))
    if not wanted:
        raise ValidationFailed("Choose at least one case.", {"references": ["Choose a case."]})
    if len(wanted) > MAX_BULK:
        raise ValidationFailed(
            f"At most {MAX_BULK} cases at once.", {"references": [f"At most {MAX_BULK}."]}
        )
    if not access.is_staff(actor):
        raise PermissionDenied("Only staff triage cases in bulk.")
    now = now or now_utc()
    refusals: dict[str, DomainError] = {}
    changed: list[Case] = []
    with one_transaction():
        for reference in wanted:
            try:
                changed.append(_act(actor, reference, action, dict(data or {}), now, remote_addr))
            except StaleVersion:
                raise
            except DomainError as refused:
                refusals[reference] = refused
        if refusals:
            raise BulkRefused(refusals)
    return changed


def _act(
    actor: User,
    reference: str,
    action: str,
    data: dict[str, Any],
    now: datetime,
    remote_addr: str | None,
) -> Case:
    if action == ASSIGN:
        return assign_case(actor, reference, data.get("owner_id"), now=now, remote_addr=remote_addr)
    return fire_trigger(actor, reference, action, data, now=now, remote_addr=remote_addr)


def _reasons(refused: DomainError) -> list[str]:
    """The refusal in words, each once: each field's messages, else the detail (a Conflict's
    detail already lists what is allowed)."""
    if refused.errors:
        return [f"{name}: {' '.join(msgs)}" for name, msgs in refused.errors.items()]
    return [refused.detail]
