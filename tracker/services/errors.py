"""Domain errors raised by services; tracker.errors turns them into HTTP answers."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a use case reports to its caller."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class NotFound(DomainError):
    """The object does not exist, or the actor may not know it exists."""

    status = 404
    title = "Not found"


class PermissionDenied(DomainError):
    """The actor knows the object but may not do this to it."""

    status = 403
    title = "Forbidden"


class ValidationFailed(DomainError):
    """The input is incomplete or wrong; ``errors`` names each field."""

    status = 422
    title = "Unprocessable content"


class Conflict(DomainError):
    """The action is not possible in the object's current state."""

    status = 409
    title = "Conflict"

    def __init__(self, detail: str, allowed: list[str] | None = None) -> None:
        super().__init__(detail)
        self.allowed = allowed


class StaleVersion(DomainError):
    """The caller's copy is out of date: someone else changed the object first."""

    status = 412
    title = "Precondition failed"

    def __init__(self, detail: str, current_version: int | None = None) -> None:
        super().__init__(detail)
        self.current_version = current_version


class TooManyRequests(DomainError):
    """The actor has done this too often lately; ``retry_after`` says in how many seconds."""

    status = 429
    title = "Too Many Requests"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class Gone(DomainError):
    """The one-time link was used already or has expired."""

    status = 410
    title = "Gone"
