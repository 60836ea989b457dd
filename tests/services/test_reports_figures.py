"""Report figures: crossing, ageing in working days, per-agency performance, scope, query count."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.services.reports_scenario import (
    AS_OF,
    START,
    add_cases,
    at,
    build_referrals,
)
from tests.support import counted_statements, trigger_data
from tracker.extensions import db
from tracker.models import User
from tracker.services.reports import (
    DIMENSIONS,
    age_open_cases,
    agency_performance,
    cross_cases,
    summarise_cases,
)
from tracker.services.transitions import fire_trigger


def test_cross_cases_counts_pairs_with_totals_largest_first(make_case, officer):
    for category, province in [
        ("maternity", "KH-12"),
        ("maternity", "KH-12"),
        ("maternity", "KH-1"),
        ("healthcare", "KH-1"),
        ("healthcare", None),
    ]:
        make_case(category=category, province=province)
    table = cross_cases(officer, "category", "province")
    assert (table.row_dimension, table.column_dimension) == ("category", "province")
    assert table.rows == ["maternity", "healthcare"]
    assert table.columns == ["KH-1", "KH-12", None]  # KH-1 and KH-12 tie at 2: by code
    assert table.count("maternity", "KH-12") == 2
    assert table.count("healthcare", "KH-12") == 0
    assert table.row_totals == {"maternity": 3, "healthcare": 2}
    assert table.column_totals == {"KH-12": 2, "KH-1": 2, None: 1}
    assert table.total == 5


# (days before START, expected bucket); working days per the Cambodian calendar of 2026.
AGES = [
    (datetime(2026, 3, 4, 2, 0, tzinfo=UTC), "0-5"),  # today: 0
    (datetime(2026, 2, 25, 9, 0, tzinfo=UTC), "0-5"),  # 5 working days
    (datetime(2026, 2, 24, 9, 0, tzinfo=UTC), "6-10"),  # 6
    (datetime(2026, 2, 18, 9, 0, tzinfo=UTC), "6-10"),  # 10
    (datetime(2026, 2, 17, 9, 0, tzinfo=UTC), "11-20"),  # 11
    (datetime(2026, 2, 4, 9, 0, tzinfo=UTC), "11-20"),  # 20
    (datetime(2026, 2, 3, 9, 0, tzinfo=UTC), "21+"),  # 21
]


def test_ageing_buckets_open_cases_by_working_days_since_logged(make_case, officer, agency):
    for logged_at, _bucket in AGES:
        make_case(now=logged_at)
    closed = make_case(now=datetime(2025, 1, 6, 9, 0, tzinfo=UTC)).case.reference
    for trigger in ("analyse", "close"):
        fire_trigger(officer, closed, trigger, trigger_data(trigger, officer.id, agency.id))
    analysed = make_case(now=datetime(2026, 1, 5, 9, 0, tzinfo=UTC)).case.reference
    fire_trigger(officer, analysed, "analyse", trigger_data("analyse", officer.id, agency.id))

    ageing = age_open_cases(officer, now=START)
    counts = {bucket.label: bucket.count for bucket in ageing.buckets}
    assert counts == {"0-5": 2, "6-10": 2, "11-20": 2, "21+": 2}
    assert ageing.total == 8  # the closed case is not open
    # every open state of every workflow (info_request adds "answered")
    assert ageing.states == ["logged", "analysed", "referred", "responded", "on_hold", "answered"]
    oldest = ageing.buckets[-1]
    assert (oldest.low, oldest.high) == (21, None)
    assert oldest.by_state == {
        "logged": 1,
        "analysed": 1,
        "referred": 0,
        "responded": 0,
        "on_hold": 0,
        "answered": 0,
    }


def test_ageing_skips_khmer_new_year(make_case, officer):
    # Thursday 9 April to Friday 17 April 2026: six weekdays, three of them Khmer New Year.
    make_case(now=datetime(2026, 4, 9, 9, 0, tzinfo=UTC))
    ageing = age_open_cases(officer, now=datetime(2026, 4, 17, 9, 0, tzinfo=UTC))
    assert [b.count for b in ageing.buckets] == [1, 0, 0, 0]


@pytest.fixture
def scenario(officer, agency, other_agency, organisation, other_organisation):
    """The dated referrals of reports_scenario.py."""
    return build_referrals(officer, agency, other_agency, organisation, other_organisation)


def rows_by_code(actor) -> dict[str, tuple]:
    return {
        row.code: (
            row.referrals,
            row.answered,
            row.answered_on_time,
            row.overdue,
            None if row.share_on_time is None else round(row.share_on_time, 4),
            row.median_response_days,
        )
        for row in agency_performance(actor, AS_OF)
    }


def test_agency_performance_for_staff(scenario, officer, admin):
    expected = {
        "MOH": (2, 1, 1, 1, 0.5, 12.0),
        "NSSF": (4, 2, 1, 1, 0.3333, 13.5),
    }
    assert rows_by_code(officer) == expected
    assert rows_by_code(admin) == expected
    # Before any deadline passed nothing is overdue: C is not judged yet; A on time, B late.
    early = {row.code: row for row in agency_performance(officer, at(3, 11))}
    assert (early["NSSF"].overdue, early["NSSF"].share_on_time) == (0, 0.5)


def test_agency_performance_is_scoped(scenario, make_user, agency, other_agency, representative):
    nssf_focal = make_user("agency", agency_id=agency.id)
    moh_focal = make_user("agency", agency_id=other_agency.id)
    assert rows_by_code(nssf_focal) == {"NSSF": (4, 2, 1, 1, 0.3333, 13.5)}
    assert rows_by_code(moh_focal) == {"MOH": (2, 1, 1, 1, 0.5, 12.0)}
    # The union's own cases only: E (another organisation's) is not counted.
    assert rows_by_code(representative) == {
        "MOH": (1, 1, 1, 0, 1.0, 12.0),
        "NSSF": (4, 2, 1, 1, 0.3333, 13.5),
    }
    for lost in (User(role="agency"), User(role="representative"), User(role="auditor")):
        assert agency_performance(lost, AS_OF) == []  # no agency, no organisation: nothing


def every_figure(actor) -> None:
    """Compute every figure of the reports page once."""
    for name in DIMENSIONS:
        summarise_cases(actor, name)
    cross_cases(actor, "category", "province")
    age_open_cases(actor, now=AS_OF)
    agency_performance(actor, AS_OF)


def test_query_count_does_not_grow_with_the_number_of_cases(make_case, officer, agency_user):
    add_cases(make_case, officer, agency_user.agency, 3, 0)
    db.session.expire_all()
    counts = []
    for total in (3, 30):
        if total == 30:
            add_cases(make_case, officer, agency_user.agency, 27, 3)
            db.session.expire_all()
        for actor in (officer, agency_user):
            with counted_statements() as statements:
                every_figure(actor)
            counts.append(len(statements))
    assert summarise_cases(officer, "state").total == 30
    assert counts[:2] == counts[2:], counts
    # Per summary its rows and its total (confidential cases counted there only), + crossing
    # (rows, total), ageing, performance (3: counts, the span of the days, medians), user, days off
    assert counts[0] <= 2 * len(DIMENSIONS) + 8
