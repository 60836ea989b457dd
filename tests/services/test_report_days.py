"""Reports grouped in SQL give the same figures as the working calendar row by row."""

from __future__ import annotations

from collections import Counter
from statistics import median

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Case, Referral
from tracker.services.report_days import histogram_median
from tracker.services.reports import _bucket, age_open_cases, agency_performance
from tracker.services.synthetic import add_synthetic_cases
from tracker.workflow_registry import final_states
from tracker.working_days import working_calendar


def test_histogram_median_is_the_median():
    for values in ([3], [1, 2], [5, 1, 1, 9], [2, 2, 2, 7, 8], [0, 0, 4, 4, 4, 10]):
        assert histogram_median(Counter(values)) == median(values)
    assert histogram_median({}) is None


def test_medians_and_ageing_match_the_calendar_row_by_row(app, officer, now):
    add_synthetic_cases(400, seed=9, now=now)
    calendar = working_calendar()
    days: dict[int, list[int]] = {}
    for referral in db.session.scalars(select(Referral).where(Referral.answered_at.is_not(None))):
        between = calendar.working_days_between(referral.referred_at, referral.answered_at)
        days.setdefault(referral.agency_id, []).append(max(0, between))
    figures = {row.agency_id: row.median_response_days for row in agency_performance(officer, now)}
    assert {a: float(median(v)) for a, v in days.items()} == {
        a: m for a, m in figures.items() if m is not None
    }
    open_cases = db.session.scalars(select(Case).where(Case.state.not_in(final_states()))).all()
    expected = Counter(
        (_bucket(calendar.working_days_between(case.created_at, now)), case.state)
        for case in open_cases
    )
    ageing = age_open_cases(officer, now)
    got = Counter({(b.label, s): n for b in ageing.buckets for s, n in b.by_state.items() if n})
    assert got == expected and ageing.total == len(open_cases)
