"""The OpenAPI document describes every API route, its parameters, body and errors."""

from __future__ import annotations

import re

PUBLIC = {
    ("/api/v1/auth/token", "post"),
    ("/api/v1/public/cases/{reference}", "get"),
    ("/api/v1/public/cases/{reference}", "post"),
    ("/api/v1/public/cases/{reference}/feedback", "post"),
    ("/api/v1/public/forums/{forum_id}", "get"),
    ("/api/v1/public/agencies", "get"),
}


def openapi_path(rule: str) -> str:
    """/api/v1/cases/<reference:reference> → /api/v1/cases/{reference}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_every_api_route_is_documented_with_its_errors(app, client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert spec["security"] == [{"bearerAuth": []}]
    routes = {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api-docs.openapi_json"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (path, method)
        for path, item in spec["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert routes == documented

    for path, method in routes:
        operation = spec["paths"][path][method]
        responses = operation["responses"]
        assert operation.get("summary"), (path, method)
        assert "default" in responses
        if (path, method) in PUBLIC:
            assert operation["security"] == []
        else:
            assert "401" in responses, (path, method)
            assert "security" not in operation
        if method in {"post", "patch"}:
            assert "requestBody" in operation, (path, method)
            assert {"415", "422"} <= set(responses), (path, method)
        if "{" in path:
            assert "404" in responses, (path, method)


def test_errors_are_documented_as_problem_details(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for name in ("NOT_FOUND", "UNPROCESSABLE_ENTITY", "CONFLICT", "DEFAULT_ERROR"):
        content = spec["components"]["responses"][name]["content"]
        assert list(content) == ["application/problem+json"]
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    patch = spec["paths"]["/api/v1/cases/{reference}"]["patch"]
    assert {"412", "428"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["required"] for p in patch["parameters"])
    create = spec["paths"]["/api/v1/cases"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert set(spec["components"]["schemas"]["CaseCreate"]["required"]) == {
        "title",
        "description",
        "category",
    }
