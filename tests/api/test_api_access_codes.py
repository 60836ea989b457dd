"""Access codes: stored as a keyed hash, older unkeyed hashes still work and are replaced, and
the public lookup takes the code in a header or a POST body as well as the query string."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, update

from tests.api.test_api_rate_limits import assert_limited
from tests.conftest import test_settings
from tracker import create_app
from tracker.extensions import db
from tracker.models import Case
from tracker.services.references import KEYED_PREFIX, access_code_matches, hash_access_code


def _stored(reference: str) -> tuple[str, int]:
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    return case.access_code_hash, case.version


def _unkeyed(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").upper().encode()).hexdigest()


def test_codes_are_stored_with_a_keyed_hash(make_case, db_url):
    logged = make_case()
    stored, _ = _stored(logged.case.reference)
    assert stored.startswith(KEYED_PREFIX)
    assert _unkeyed(logged.access_code) not in stored
    assert access_code_matches(stored, logged.access_code.lower())
    # Another server key gives another hash: a stolen table alone cannot be brute-forced.
    other_key = create_app(test_settings(db_url, SECRET_KEY="another-secret-key"))
    with other_key.app_context():
        assert not access_code_matches(stored, logged.access_code)
    own_key = create_app(test_settings(db_url, ACCESS_CODE_KEY="a-key-for-access-codes"))
    with own_key.app_context():
        assert hash_access_code(logged.access_code) != stored


def test_an_unkeyed_hash_still_works_and_is_replaced_on_the_first_lookup(client, make_case):
    logged = make_case()
    ref = logged.case.reference
    db.session.execute(
        update(Case)
        .where(Case.reference == ref)
        .values(access_code_hash=_unkeyed(logged.access_code))
    )
    db.session.commit()
    legacy, version = _stored(ref)
    path = f"/api/v1/public/cases/{ref}"
    assert client.get(path, headers={"X-Access-Code": "AAAA-BBBB-CCCC"}).status_code == 404
    assert _stored(ref) == (legacy, version)
    answer = client.get(path, headers={"X-Access-Code": logged.access_code})
    assert answer.status_code == 200
    rehashed, after = _stored(ref)
    assert rehashed.startswith(KEYED_PREFIX) and after == version  # not an edit of the case
    assert client.get(path, headers={"X-Access-Code": logged.access_code}).status_code == 200
    assert client.get(path, headers={"X-Access-Code": "AAAA-BBBB-CCCC"}).status_code == 404


@pytest.mark.parametrize("form", ["header", "body", "query"])
def test_the_lookup_takes_the_code_in_a_header_a_body_or_the_query(client, make_case, form):
    logged = make_case()
    path = f"/api/v1/public/cases/{logged.case.reference}"
    code = logged.access_code
    send = {
        "header": lambda c: client.get(path, headers={"X-Access-Code": c}),
        "body": lambda c: client.post(path, json={"access_code": c}),
        "query": lambda c: client.get(path, query_string={"access_code": c}),
    }[form]
    found = send(code)
    assert found.status_code == 200
    assert found.get_json()["reference"] == logged.case.reference
    assert send("AAAA-BBBB-CCCC").status_code == 404


def test_the_lookup_without_any_code_names_the_field(client, make_case):
    path = f"/api/v1/public/cases/{make_case().case.reference}"
    assert list(client.get(path).get_json()["errors"]) == ["access_code"]
    posted = client.post(path, json={})
    assert posted.status_code == 422 and list(posted.get_json()["errors"]) == ["access_code"]


def test_every_form_of_the_lookup_counts_against_one_limit(limited_app, make_case):
    logged = make_case()
    client = limited_app.test_client()
    path = f"/api/v1/public/cases/{logged.case.reference}"
    assert client.get(path, headers={"X-Access-Code": "WRONG"}).status_code == 404
    assert client.post(path, json={"access_code": "WRONG"}).status_code == 404
    assert_limited(client.get(path, query_string={"access_code": logged.access_code}))
    assert_limited(client.post(path, json={"access_code": logged.access_code}))
