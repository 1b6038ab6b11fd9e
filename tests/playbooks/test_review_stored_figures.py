"""Migration 0006 fills the Review figures kept on the case from the journal of older cases.

The services now keep, on the case, when it left each lane and its cycle time;
cases closed before that have the same facts only as Phase changes in their
journal. The migration's backfill reads them from there.
"""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.apps import apps

from playbooks import reports
from playbooks.models import SuccessCase

backfill = importlib.import_module("playbooks.migrations.0006_backfill_review_figures").backfill

STORED = ("initiate_ended_at", "assist_ended_at", "review_close_ended_at", "cycle_time")


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def test_it_fills_each_lane_end_and_the_cycle_time_from_the_phase_changes(review_set):
    expected = {c.number: [getattr(c, name) for name in STORED] for c in review_set.values()}
    SuccessCase.objects.update(**dict.fromkeys(STORED))  # as before migration 0005

    backfill(apps)

    found = {c.number: [getattr(c, name) for name in STORED] for c in SuccessCase.objects.all()}
    assert found == expected
    closed = SuccessCase.objects.get(number="SCS0000003")  # (6, 12, 12) hours, closed
    assert closed.assist_ended_at - closed.initiate_ended_at == hours(12)
    assert closed.cycle_time == hours(30)
    in_initiate = SuccessCase.objects.get(number="SCS0000006")  # canceled after 7 hours
    assert in_initiate.initiate_ended_at == in_initiate.closed_at
    assert (in_initiate.assist_ended_at, in_initiate.review_close_ended_at) == (None, None)
    # The figures read from the filled rows are the hand-computed ones.
    phases = [p.average for p in reports.figures(reports.review_cases()).phases]
    assert phases == [hours(6), hours(20), hours(12.6)]


def test_it_leaves_what_the_services_wrote_and_open_cases_without_an_end(review_set, open_case):
    SuccessCase.objects.filter(number="SCS0000001").update(cycle_time=hours(99))
    backfill(apps)
    assert SuccessCase.objects.get(number="SCS0000001").cycle_time == hours(99)
    open_case.refresh_from_db()
    assert [getattr(open_case, name) for name in STORED] == [None] * 4
