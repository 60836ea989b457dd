"""Fixtures of the complex-case tests: API clients, the SMTP server and the outbox."""

from tests.api.conftest import api_as, token_for  # noqa: F401  (fixtures)
from tests.notifications.conftest import outbox_rows, smtp  # noqa: F401  (fixtures)
