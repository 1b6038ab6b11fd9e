"""All Success Cases' rows (playbooks.case_rows): read as values, each cell prints what the
case's own methods and the list's filters printed (date, person, badge)."""

from __future__ import annotations

import zoneinfo

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import timezone

from core.formatting import badge_class
from core.formatting import person
from playbooks import selectors
from playbooks.case_rows import case_list_rows
from playbooks.models import SuccessCase


def _rows() -> list:
    return case_list_rows(selectors.case_list())


def test_each_row_prints_what_its_case_prints(case, review_set):
    SuccessCase.objects.filter(pk=case.pk).update(short_description="")

    rows = _rows()

    cases = list(selectors.case_list())
    assert [row.number for row in rows] == [case.number for case in cases]
    assert len(rows) == 8
    for row, case in zip(rows, cases, strict=True):
        assert row.url == case.get_absolute_url()
        assert row.short_description == (case.short_description or "—")
        assert (row.engagement_name, row.engagement_url) == (
            case.engagement.name,
            case.engagement.get_absolute_url(),
        )
        assert (row.account_name, row.account_url) == (
            case.engagement.account.name,
            case.engagement.account.get_absolute_url(),
        )
        assert row.phase == (case.get_phase_display() if case.is_open else "—")
        assert (row.state_label, row.state_class) == (
            case.state_label,
            badge_class(case.state_label),
        )
        assert (row.progress_label, row.progress_class) == (
            case.progress_label,
            badge_class(case.progress_label),
        )
        assert row.assigned_to == person(case.assigned_to)
        assert row.opened == django_date(timezone.localtime(case.opened_at), "M j, Y")
    assert {row.state_label for row in rows} == {"Open", "Closed", "Canceled"}
    assert "—" in {row.short_description for row in rows}


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_opening_day_is_that_of_the_current_time_zone(review_set, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        for row, case in zip(_rows(), selectors.case_list(), strict=True):
            assert row.opened == django_date(timezone.localtime(case.opened_at), "M j, Y")
