"""KoboToolbox intake: one REST-service submission (JSON) becomes a case of the forum, once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tracker.codes import CASE_FIELD_LABELS
from tracker.extensions import db
from tracker.models import Case, User
from tracker.services.errors import ValidationFailed
from tracker.services.import_files import cell_translator
from tracker.services.intake import (
    IntakeResult,
    RowsInvalid,
    RowSource,
    plan_import,
    run_import,
)

# Kobo's own metadata: keys starting with these, and its standard questions.
META_PREFIXES = ("_", "meta/", "formhub/")
META_QUESTIONS = frozenset(
    {"start", "end", "today", "deviceid", "username", "simserial", "subscriberid",
     "phonenumber", "audit"}
)  # fmt: skip
MAX_KEPT = 100  # unknown questions kept with the case, at most


@dataclass(frozen=True)
class KoboOutcome:
    """The case a submission logged (``created``) or had logged before."""

    reference: str
    created: bool
    access_code: str | None = None


def submission_id(payload: Mapping[str, Any]) -> str:
    """The submission's ``_uuid`` (or its ``meta/instanceID``), or a 422 naming it."""
    uuid = payload.get("_uuid") or str(payload.get("meta/instanceID") or "").removeprefix("uuid:")
    if not isinstance(uuid, str) or not uuid.strip() or len(uuid) > 100:
        raise ValidationFailed(
            "The submission has no _uuid.", {"_uuid": ["This field is required."]}
        )
    return f"kobo:{uuid.strip()}"


def split_submission(payload: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Case fields (group prefixes stripped, labels made codes) and the other questions."""
    translate = cell_translator()
    fields: dict[str, Any] = {}
    others: dict[str, Any] = {}
    for key, value in payload.items():
        name = str(key).rsplit("/", 1)[-1]
        if str(key).startswith(META_PREFIXES) or name in META_QUESTIONS or name == "__version__":
            continue
        if name in CASE_FIELD_LABELS:
            fields[name] = translate(name, value) if isinstance(value, str | int | float) else value
        elif len(others) < MAX_KEPT:
            others[name] = value
    return fields, others


def log_kobo_submission(
    actor: User, forum_id: int, payload: Any, *, remote_addr: str | None = None
) -> KoboOutcome:
    """Log the submission as a case of the forum; the same submission again logs nothing."""
    if not isinstance(payload, Mapping):
        raise ValidationFailed(
            "Send one submission as a JSON object.", {"_schema": ["Not an object."]}
        )
    external_id = submission_id(payload)
    resent = db.session.scalar(select(Case.reference).where(Case.external_id == external_id))
    if resent is not None:  # Kobo retries a push it did not see answered
        return KoboOutcome(resent, created=False)
    fields, others = split_submission(payload)
    try:
        plan = plan_import(
            actor, forum_id, [fields], sources=[RowSource(external_id, {"kobo": others})]
        )
    except RowsInvalid as invalid:
        raise ValidationFailed(
            "The submission is incomplete: " + ", ".join(sorted(invalid.by_row[1])) + ".",
            invalid.by_row[1],
        ) from None
    if plan.duplicates:  # the same concern came in by another channel first
        known = db.session.scalar(
            select(Case.reference).where(
                Case.forum_id == forum_id, Case.intake_fingerprint == plan.prints[0]
            )
        )
        return KoboOutcome(known or "", created=False)
    result = IntakeResult()
    for _ in run_import(actor, plan, result, remote_addr=remote_addr):
        pass
    item = result.logged[0]
    return KoboOutcome(item.reference, created=True, access_code=item.access_code)
