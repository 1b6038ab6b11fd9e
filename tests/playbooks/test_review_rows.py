"""The Review list's rows (playbooks.reports.rows): read as values, each cell prints what the
case's own fields print through the filters the list used before (date, person, duration)."""

from __future__ import annotations

import zoneinfo

import pytest
from django.template.defaultfilters import date as django_date
from django.urls import reverse
from django.utils import timezone

from core.formatting import duration
from core.formatting import person
from playbooks import reports
from playbooks import services
from playbooks.models import SuccessCase


def _rows() -> list:
    cases = reports.in_list_order(reports.review_cases())
    return reports.review_list_rows(cases)


def _day(moment) -> str:
    return django_date(timezone.localtime(moment), "M j, Y") if moment else ""


def test_each_row_prints_what_its_case_prints(review_set, manager):
    reviewed = review_set["SCS0000003"]
    services.success_case_mark_reviewed(case_pk=reviewed.pk, user=manager, note="Fine.")

    rows = _rows()

    cases = {c.number: c for c in reports.with_case_figures(reports.review_cases())}
    assert [row.number for row in rows] == [
        c.number for c in reports.in_list_order(reports.review_cases())
    ]
    assert len(rows) == 7
    for row in rows:
        case = cases[row.number]
        assert row.url == reverse("playbooks:review-case", args=[case.number])
        assert row.short_description == case.short_description
        assert row.account_name == case.engagement.account.name
        assert row.engagement_name == case.engagement.name
        assert (row.state_label, row.state_class) == (
            case.state_label,
            f"badge badge-{case.state_label.lower()}",
        )
        assert row.closure_code == (case.closure_code.name if case.closure_code else "—")
        assert row.assigned_to == person(case.assigned_to)
        assert (row.opened, row.closed) == (_day(case.opened_at), _day(case.closed_at))
        assert row.cycle_time == duration(case.cycle_time)
        assert (row.meeting_count, row.task_count) == (case.meeting_count, case.task_count)
        assert row.reviewed == _day(case.reviewed_at)
        assert row.reviewed_by == person(case.reviewed_by)
    marked = next(row for row in rows if row.number == "SCS0000003")
    assert marked.reviewed and marked.reviewed_by == person(manager)
    assert {row.reviewed_by for row in rows if row.number != "SCS0000003"} == {"—"}


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_days_are_those_of_the_current_time_zone(review_set, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        rows = _rows()
        closed = {c.number: c.closed_at for c in SuccessCase.objects.all()}
        for row in rows:
            assert row.closed == django_date(timezone.localtime(closed[row.number]), "M j, Y")


def test_no_cases_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert reports.review_list_rows(SuccessCase.objects.none()) == []
