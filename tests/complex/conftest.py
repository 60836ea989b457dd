"""Fixtures for the complex-case tests: the API, SMTP and web helpers of the other folders."""

from tests.api.conftest import api_as, token_for  # noqa: F401  (fixtures)
from tests.notifications.conftest import smtp  # noqa: F401  (a fixture)
