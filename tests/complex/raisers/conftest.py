"""Fixtures of the raisers' tests: the web client and login, API clients, the SMTP server and
the SMS gateway on loopback (defined in their own folders, shared here)."""

from __future__ import annotations

from tests.api.conftest import api_as, token_for  # noqa: F401  (fixtures)
from tests.notifications.conftest import outbox_rows, smtp  # noqa: F401  (fixtures)
from tests.notifications.test_sms_channel import gateway  # noqa: F401  (a fixture)
from tests.web.conftest import client, login  # noqa: F401  (fixtures)
