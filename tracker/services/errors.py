"""Domain errors raised by services: what went wrong, in words; tracker.errors alone maps them
to HTTP statuses and pages."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a use case reports to its caller."""

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class NotFound(DomainError):
    """The object does not exist, or the actor may not know it exists."""


class PermissionDenied(DomainError):
    """The actor knows the object but may not do this to it."""


class ValidationFailed(DomainError):
    """The input is incomplete or wrong; ``errors`` names each field."""


class Conflict(DomainError):
    """The action is not possible in the object's current state (``state``, when known)."""

    def __init__(
        self, detail: str, allowed: list[str] | None = None, state: str | None = None
    ) -> None:
        super().__init__(detail)
        self.allowed = allowed
        self.state = state


class StaleVersion(DomainError):
    """The caller's copy is out of date: someone else changed the object first."""

    def __init__(self, detail: str, current_version: int | None = None) -> None:
        super().__init__(detail)
        self.current_version = current_version


class TooManyRequests(DomainError):
    """The actor has done this too often lately; ``retry_after`` says in how many seconds."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Gone(DomainError):
    """The one-time link was used already or has expired."""


class NotAuthenticated(DomainError):
    """No valid credentials: the answer never says which part was wrong."""
