"""The case list API pages by keyset (`cursor` / `next`) and says when its total is estimated."""

from __future__ import annotations

from datetime import timedelta


def test_walking_the_list_by_next_shows_each_case_once(app, api_as, officer, make_case, now):
    made = {make_case(title=f"Concern {n}", now=now - timedelta(hours=n)).case.reference
            for n in range(12)}  # fmt: skip
    api = api_as(officer)
    seen, cursor = [], None
    while True:
        query = f"/api/v1/cases?per_page=5&sort=-created_at{'&cursor=' + cursor if cursor else ''}"
        body = api.get(query).get_json()
        assert body["total"] == 12 and body["total_is_estimate"] is False
        seen += [case["reference"] for case in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert len(seen) == 12 and set(seen) == made
    numbered = api.get("/api/v1/cases?per_page=5&page=3").get_json()
    assert [c["reference"] for c in numbered["items"]] == seen[10:]
    assert numbered["next"] is None and numbered["pages"] == 3


def test_beyond_the_count_limit_the_total_is_an_estimate(app, api_as, officer, make_case):
    for n in range(6):
        make_case(title=f"Concern {n}")
    app.config["LIST_EXACT_COUNT_LIMIT"] = 3
    body = api_as(officer).get("/api/v1/cases?per_page=2").get_json()
    assert body["total_is_estimate"] is True and body["total"] >= 4
    assert len(body["items"]) == 2 and body["next"]


def test_a_bad_cursor_is_a_422_naming_the_cursor(app, api_as, officer, make_case):
    make_case()
    response = api_as(officer).get("/api/v1/cases?cursor=bm90LWEtY3Vyc29y")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "cursor" in response.get_json()["errors"]
