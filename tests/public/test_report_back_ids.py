"""A forum id beyond PostgreSQL's integer is not found, not a server error (found by the fuzz)."""

from __future__ import annotations


def test_a_forum_id_out_of_range_is_not_found(client, forum):
    assert client.get(f"/api/v1/public/forums/{forum.id}").status_code == 200
    for wrong in (150195616963, 2147483648):
        answer = client.get(f"/api/v1/public/forums/{wrong}")
        assert answer.status_code == 404
        assert answer.headers["Content-Type"].startswith("application/problem+json")
