"""Security headers on every response; case data is never cached."""

from __future__ import annotations


def test_api_answers_carry_security_headers_and_no_store(api_as, officer, make_case):
    ref = make_case().case.reference
    for answer in (
        api_as(officer).get(f"/api/v1/cases/{ref}"),
        api_as(None).get(f"/api/v1/cases/{ref}"),
        api_as(officer).get("/api/v1/nothing"),
    ):
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
        assert answer.headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_security_headers_too(client):
    answer = client.get("/health")
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"
