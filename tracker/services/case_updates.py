"""Change a case's fields and its owner together, as one edit in one transaction (API PATCH)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tracker import access
from tracker.models import Case, User, now_utc
from tracker.services.case_fields import clean_case_fields
from tracker.services.cases import apply_changes, check_version, eligible_owner, get_case, set_owner
from tracker.services.errors import PermissionDenied, ValidationFailed
from tracker.services.unit_of_work import unit_of_work


def update_case(
    actor: User,
    reference: str,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
    remote_addr: str | None = None,
) -> Case:
    """Apply field changes and an optional new ``owner_id``; all or nothing, one version."""
    case = get_case(actor, reference)
    if not access.can_edit_case(actor, case):
        raise PermissionDenied("You may not edit this case.")
    check_version(case, expected_version)
    fields = dict(changes)
    errors: dict[str, list[str]] = {}
    owner = None
    if "owner_id" in fields:
        try:
            owner = eligible_owner(fields.pop("owner_id"))
        except ValidationFailed as exc:
            errors.update(exc.errors)
    try:
        cleaned = clean_case_fields(fields, creating=False)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed("Some fields are missing or invalid.", errors)
    now = now or now_utc()
    with unit_of_work():
        apply_changes(case, cleaned, actor, now, remote_addr)
        if owner is not None and owner.id != case.owner_id:
            set_owner(case, owner, actor, now, remote_addr)
    return case
