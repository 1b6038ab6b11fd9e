"""The Review figures, computed in the database, checked against a hand-built set.

REVIEW_SET (tests/playbooks/conftest.py) has five closed cases that spent
(Initiate, Assist, Review & Close) = (2, 5, 3), (4, 10, 6), (6, 12, 12), (8, 20, 12)
and (10, 60, 30) hours, one canceled in Initiate after 7 hours and one canceled
in Assist after 5 + 13 hours. So the cycle times are 7, 10, 18, 20, 30, 40 and 100
hours, and every expected figure below follows from those numbers.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest
from django.db import connection

from playbooks import reports
from playbooks import services
from playbooks.models import JournalEntry
from playbooks.models import SuccessCase

from .conftest import _at
from .conftest import make_reviewable_case


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def figures(**filters) -> reports.Figures:
    return reports.figures(reports.review_cases().filter(**filters))


def test_it_counts_closed_and_canceled_cases(review_set):
    result = figures()
    assert (result.cases, result.closed, result.canceled, result.reviewed) == (7, 5, 2, 0)


#: PostgreSQL's PERCENTILE_CONT interpolates: of the 7 cycle times, the 90th percentile is at
#: position 0.9 x 6 = 5.4, 40 + 0.4 x (100 - 40) hours. SQLite reads the value at offset 5.
P90 = 64 if connection.vendor == "postgresql" else 40


def test_the_median_and_90th_percentile_are_read_at_offset_floor_q_times_n_minus_1(review_set):
    # Sorted: 7, 10, 18, 20, 30, 40, 100. n = 7: the median is at offset 3, p90 at offset 5.
    result = figures()
    assert result.cycle_median == hours(20)
    assert result.cycle_p90 == hours(P90)
    assert result.cycle_average == hours(225 / 7)


def test_an_even_number_of_cases_takes_the_lower_middle_value(review_set):
    # Closed only: 10, 20, 30, 40, 100 -> median 30; without SCS0000005: 10, 20, 30, 40.
    assert figures(phase="closed").cycle_median == hours(30)
    four = reports.review_cases().filter(phase="closed").exclude(number="SCS0000005")
    assert reports.cycle_time_percentile(four, 0.5, 4) == hours(20)
    assert reports.cycle_time_percentile(four, 0.9, 4) == hours(30)
    assert reports.cycle_time_percentile(four.none(), 0.5, 0) is None


def test_time_in_phase_is_read_from_when_the_case_left_each_lane(review_set):
    phases = {p.label: p.average for p in figures().phases}
    # Initiate: 2, 4, 6, 8, 10 and the two canceled cases' 7 and 5 -> 42 / 7.
    assert phases["Initiate"] == hours(6)
    # Assist: 5, 10, 12, 20, 60 and 13 (canceled in Assist) -> 120 / 6.
    assert phases["Assist"] == hours(20)
    # Review & Close: only the closed cases reached it: 3, 6, 12, 12, 30 -> 63 / 5.
    assert phases["Review & Close"] == hours(12.6)


def test_time_in_phase_ignores_last_updated_stamps(review_set):
    # Touching every case (updated_at = now) changes nothing: the lane ends decide.
    for case in review_set.values():
        case.save(update_fields=["updated_at"])
    assert {p.label: p.average for p in figures().phases}["Assist"] == hours(20)


def test_each_case_carries_its_own_figures(review_set):
    case = reports.with_case_figures(reports.review_cases()).get(number="SCS0000003")
    assert case.cycle_time == hours(30)
    assert (case.initiate_time, case.assist_time, case.review_close_time) == (
        hours(6),
        hours(12),
        hours(12),
    )
    assert (case.meeting_count, case.task_count) == (0, 3)
    canceled = reports.with_case_figures(reports.review_cases()).get(number="SCS0000006")
    assert (canceled.initiate_time, canceled.assist_time, canceled.review_close_time) == (
        hours(7),
        None,
        None,
    )


def test_meetings_and_tasks_per_case(review_set):
    result = figures()
    assert (result.meetings, result.tasks) == (3, 4)
    assert result.meetings_per_case == pytest.approx(3 / 7)
    assert result.tasks_per_case == pytest.approx(4 / 7)


def test_closure_codes_count_closed_cases_with_their_share(review_set):
    codes = [(c.name, c.count, c.share) for c in figures().codes]
    assert codes == [
        ("Outcome achieved", 3, pytest.approx(0.6)),
        ("Outcome not achieved", 1, pytest.approx(0.2)),
        ("Outcome partially achieved", 1, pytest.approx(0.2)),
    ]


def test_weeks_run_from_the_first_to_the_last_with_empty_weeks_included(review_set):
    weeks = [(w.week, w.closed, w.canceled) for w in figures().weeks]
    assert weeks == [
        (date(2026, 3, 2), 1, 0),
        (date(2026, 3, 9), 2, 1),
        (date(2026, 3, 16), 0, 0),
        (date(2026, 3, 23), 2, 1),
    ]


def test_the_weekly_chart_shows_the_last_26_weeks_and_counts_the_earlier_ones(
    review_set, client_for
):
    # One case closed 40 weeks before the others: the chart would need 44 columns.
    SuccessCase.objects.filter(number="SCS0000001").update(closed_at=_at(2) - timedelta(weeks=40))
    result = figures()
    assert len(result.weeks) == reports.WEEKS_SHOWN == 26
    assert result.weeks[-1].week == date(2026, 3, 23)  # the selection's last week
    assert result.weeks[0].week == date(2026, 3, 23) - timedelta(weeks=25)
    assert result.earlier_weeks == 1
    assert result.cases == 7 and sum(w.closed + w.canceled for w in result.weeks) == 6
    page = client_for("manager").get("/review/")
    assert "the last 26 weeks; 1 earlier week with cases count" in page.content.decode()


def test_figures_follow_the_filtered_set(review_set):
    result = figures(closure_code__name="Outcome achieved")
    assert (result.cases, result.closed, result.canceled) == (3, 3, 0)
    assert result.cycle_median == hours(20)
    assert [c.share for c in result.codes] == [1.0]


def test_an_empty_set_has_no_figures_and_needs_no_query(review_set, django_assert_num_queries):
    with django_assert_num_queries(0):
        result = reports.figures(reports.review_cases().none())
    assert (result.cases, result.cycle_median, result.codes, result.weeks) == (0, None, [], [])
    assert result.meetings_per_case is None
    assert all(p.average is None for p in result.phases)


def test_the_figures_take_a_fixed_number_of_queries_whatever_the_number_of_cases(
    review_set, agent, engagement, django_assert_num_queries
):
    # One grouped query, and one for the percentiles.
    queries = 2
    with django_assert_num_queries(queries):
        reports.figures(reports.review_cases())
    for i in range(20):
        make_reviewable_case(
            f"SCS1{i:06d}", engagement=engagement, agent=agent, closed_at=_at(20), hours=(1, 1, 1)
        )
    with django_assert_num_queries(queries):
        assert reports.figures(reports.review_cases()).cases == 27


def test_the_figures_and_the_export_come_from_the_cases_not_the_journal(
    review_set, agent, engagement
):
    """Time in phase is kept on the case as it moves on: the journal is not read again.

    So without the journal the figures and the export are the same, and the
    export has one row per case with its own numbers of meetings and tasks.
    """
    make_reviewable_case(
        "SCS0000008",
        engagement=engagement,
        agent=agent,
        closed_at=_at(27),
        hours=(1, 2, 3),
        meetings=2,
        tasks=3,
    )

    def export() -> dict[str, list]:
        return {row[0]: row for row in reports.export_rows(reports.review_cases())}

    def phase_averages() -> list[timedelta | None]:
        return [phase.average for phase in figures().phases]

    rows, averages = export(), phase_averages()
    assert len(rows) == 8
    # Cycle time, Initiate, Assist, Review & Close hours, meetings, tasks.
    assert rows["SCS0000008"][8:14] == ["6.00", "1.00", "2.00", "3.00", 2, 3]
    assert rows["SCS0000003"][8:14] == ["30.00", "6.00", "12.00", "12.00", 0, 3]
    assert averages[0] == hours(43 / 8)  # Initiate: the 42 hours of REVIEW_SET, and 1

    JournalEntry.objects.all().delete()
    assert export() == rows
    assert phase_averages() == averages


def test_cases_worked_through_the_services_get_their_time_in_phase(closed_case, manager):
    """The real services write the Phase changes the report reads."""
    case = reports.with_case_figures(reports.review_cases()).get(pk=closed_case.pk)
    assert case.initiate_time is not None and case.initiate_time >= timedelta(0)
    assert case.assist_time is not None and case.review_close_time is not None
    total = case.initiate_time + case.assist_time + case.review_close_time
    assert abs(total - case.cycle_time) < timedelta(seconds=1)
    services.success_case_mark_reviewed(case_pk=case.pk, user=manager, note="Fine.")
    assert figures().reviewed == 1


def test_the_timeline_is_oldest_first(review_set):
    case = review_set["SCS0000002"]
    entries = list(reports.timeline(case))
    assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)
    assert entries[0].created_at == case.opened_at
    assert JournalEntry.objects.filter(case=case).count() == len(entries)


def test_only_closed_and_canceled_cases_are_reviewed(review_set, open_case):
    assert open_case.number not in set(reports.review_cases().values_list("number", flat=True))
    assert SuccessCase.objects.count() == 8


@pytest.mark.postgres
def test_the_figures_are_the_same_on_postgresql(review_set):
    """Same expectations, run by the PostgreSQL pass of CI (interval arithmetic there).

    Except the 90th percentile: PostgreSQL's PERCENTILE_CONT interpolates. Of 7, 10,
    18, 20, 30, 40, 100 hours it is at position 0.9 x 6 = 5.4: 40 + 0.4 x (100 - 40).
    """
    result = figures()
    assert (result.cycle_median, result.cycle_p90) == (hours(20), hours(64))
    assert [p.average for p in result.phases] == [hours(6), hours(20), hours(12.6)]
    assert result.weeks[0].week == date(2026, 3, 2)
