"""Links and merge over the API: both sides show a link, both timelines record it; a duplicate
closes as `duplicate` into an open case; wrong references change nothing; reports count once."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.complex.related_support import api
from tracker.extensions import db
from tracker.models import Case, CaseLink, Event
from tracker.services.transitions import fire_trigger


def kinds(reference: str) -> list[str]:
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    return list(db.session.scalars(select(Event.kind).where(Event.case_id == case.id)))


def stored(reference: str) -> Case:
    db.session.expire_all()
    return db.session.scalar(select(Case).where(Case.reference == reference))


def test_a_link_shows_on_both_cases_and_both_timelines(make_case, officer, client):
    first, second = make_case().case.reference, make_case(title="Same problem").case.reference
    answer = api(client, officer).post(f"/api/v1/cases/{first}/links", {"reference": second})
    assert answer.status_code == 201
    assert [item["reference"] for item in answer.get_json()["items"]] == [second]
    back = api(client, officer).get(f"/api/v1/cases/{second}/links").get_json()["items"]
    assert [item["reference"] for item in back] == [first]
    assert kinds(first).count("linked") == 1 and kinds(second).count("linked") == 1
    again = api(client, officer).post(f"/api/v1/cases/{second}/links", {"reference": first})
    assert again.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(CaseLink)) == 1


def test_a_wrong_reference_is_refused_and_changes_nothing(make_case, officer, client):
    first = make_case().case.reference
    before = kinds(first)
    staff = api(client, officer)
    for body in ({"reference": "GRV-2099-99999"}, {"reference": first}, {}):
        answer = staff.post(f"/api/v1/cases/{first}/links", body)
        assert answer.status_code == 422, body
        assert answer.mimetype == "application/problem+json"
        assert "reference" in answer.get_json()["errors"]
    missing = staff.post("/api/v1/cases/GRV-2099-99999/links", {"reference": first})
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert kinds(first) == before
    assert db.session.scalar(select(func.count()).select_from(CaseLink)) == 0


def test_a_link_to_a_case_the_caller_may_not_see_is_hidden(
    make_case, officer, representative, other_organisation, client
):
    own = make_case(organisation_id=representative.organisation_id).case.reference
    theirs = make_case(organisation_id=other_organisation.id).case.reference
    linked = api(client, officer).post(f"/api/v1/cases/{own}/links", {"reference": theirs})
    assert linked.status_code == 201
    seen = api(client, representative).get(f"/api/v1/cases/{own}/links")
    assert seen.status_code == 200 and seen.get_json()["items"] == []


def test_merge_closes_the_duplicate_into_the_kept_case(make_case, officer, client):
    kept = make_case(title="Maternity pay late").case.reference
    duplicate = make_case(title="Maternity pay is late").case.reference
    answer = api(client, officer).post(
        f"/api/v1/cases/{duplicate}/merge", {"into": kept, "note": "Raised at both forums."}
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["state"], body["outcome"]) == ("closed", "duplicate")
    assert stored(duplicate).merged_into_id == stored(kept).id
    assert stored(kept).state == "logged"
    assert kinds(duplicate) == ["created", "transition"]
    assert kinds(kept) == ["created", "merged"]
    event = db.session.scalar(select(Event).where(Event.kind == "transition"))
    assert event.trigger == "merge" and event.data["into"] == kept


def test_merge_refuses_a_wrong_or_closed_target_and_changes_nothing(make_case, officer, client):
    duplicate = make_case().case.reference
    closed = make_case(title="Finished").case.reference
    fire_trigger(officer, closed, "analyse", {"owner_id": officer.id, "note": "Seen."})
    fire_trigger(officer, closed, "close", {"outcome": "resolved", "resolution": "Done."})
    staff = api(client, officer)
    for into in ("GRV-2099-99999", duplicate, closed):
        answer = staff.post(f"/api/v1/cases/{duplicate}/merge", {"into": into})
        assert answer.status_code == 422, into
        assert answer.mimetype == "application/problem+json"
        assert "into" in answer.get_json()["errors"]
    assert staff.post("/api/v1/cases/GRV-2099-99999/merge", {"into": closed}).status_code == 404
    case = stored(duplicate)
    assert (case.state, case.outcome, case.merged_into_id) == ("logged", None, None)
    assert kinds(duplicate) == ["created"]


def test_merge_is_for_staff_only(make_case, representative, client):
    own = make_case(organisation_id=representative.organisation_id).case.reference
    other = make_case(organisation_id=representative.organisation_id).case.reference
    answer = api(client, representative).post(f"/api/v1/cases/{own}/merge", {"into": other})
    assert answer.status_code == 403
    assert stored(own).state == "logged"


def test_report_totals_count_the_merged_pair_once(make_case, officer, client):
    kept = make_case(category="maternity").case.reference
    duplicate = make_case(category="maternity").case.reference
    make_case(category="healthcare")
    staff = api(client, officer)

    def totals() -> tuple[int, dict[str, int]]:
        body = staff.get("/api/v1/reports/summary?by=category").get_json()
        return body["total"], {row["category"]: row["count"] for row in body["rows"]}

    assert totals() == (3, {"maternity": 2, "healthcare": 1})
    assert staff.post(f"/api/v1/cases/{duplicate}/merge", {"into": kept}).status_code == 200
    assert totals() == (2, {"maternity": 1, "healthcare": 1})
    reopened = fire_trigger(officer, duplicate, "reopen", {"reason": "Not the same after all."})
    assert (reopened.outcome, reopened.merged_into_id) == (None, None)
    assert totals() == (3, {"maternity": 2, "healthcare": 1})


def test_the_duplicates_code_still_works_and_says_where_it_went(make_case, officer, client):
    kept = make_case().case.reference
    logged = make_case(title="The same, again")
    duplicate = logged.case.reference
    merged = api(client, officer).post(f"/api/v1/cases/{duplicate}/merge", {"into": kept})
    assert merged.status_code == 200
    public = client.get(f"/api/v1/public/cases/{duplicate}?access_code={logged.access_code}")
    assert public.status_code == 200
    assert (public.get_json()["merged_into"], public.get_json()["outcome"]) == (kept, "duplicate")
