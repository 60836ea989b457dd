"""The interface the tracker calls when a case event happens, inside its own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.models import Case, Event


def on_case_event(case: Case, event: Event) -> None:
    """Queue the emails this event causes, in the caller's transaction (see issue 4)."""
    return None
