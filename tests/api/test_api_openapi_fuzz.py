"""schemathesis against /api/v1/openapi.json: no 5xx, and answers conform to the document.

The document is read once from an app (no database needed to describe the API); each operation
is then exercised against the test app on the real database, as an admin with a valid token.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import test_settings as settings_for_tests
from tracker import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _document() -> dict:
    app = create_app(settings_for_tests("sqlite://"))
    return app.test_client().get("/api/v1/openapi.json").get_json()


# Bounded and repeatable: a few examples per operation, no coverage sweep, no example database.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20260304,
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {
            "max-examples": 4,
            "deterministic": True,
            "database": "none",
            "with-security-parameters": False,
        },
    }
)
schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)


@pytest.fixture
def admin_headers(make_user, agency, organisation, forum, make_case, token_for) -> dict:
    """An admin's bearer token, over a database with a case, an agency, an org and a forum."""
    admin = make_user("admin")
    make_case(organisation_id=organisation.id, forum_id=forum.id)
    return {"Authorization": f"Bearer {token_for(admin)}"}


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, app, admin_headers):
    case.call_and_validate(headers=admin_headers, checks=CHECKS, app=app)
