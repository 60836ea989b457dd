"""The token endpoint and the public lookup are rate limited per client: 429 with Retry-After."""

from __future__ import annotations


def assert_limited(answer) -> None:
    """A 429 problem that says when to come back."""
    assert answer.status_code == 429
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["status"] == 429
    assert int(answer.headers["Retry-After"]) > 0


def test_token_endpoint_is_rate_limited_per_client(limited_app, officer):
    client = limited_app.test_client()
    creds = {"email": officer.email, "password": "wrong password!"}
    statuses = [client.post("/api/v1/auth/token", json=creds).status_code for _ in range(2)]
    assert statuses == [401, 401]
    assert_limited(client.post("/api/v1/auth/token", json=creds))
    elsewhere = client.post(
        "/api/v1/auth/token", json=creds, environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert elsewhere.status_code == 401


def test_public_lookup_is_rate_limited_per_client(limited_app, make_case):
    logged = make_case()
    client = limited_app.test_client()
    path = f"/api/v1/public/cases/{logged.case.reference}"
    assert client.get(path, query_string={"access_code": logged.access_code}).status_code == 200
    assert client.get(path, query_string={"access_code": "WRONG"}).status_code == 404
    assert_limited(client.get(path, query_string={"access_code": logged.access_code}))
