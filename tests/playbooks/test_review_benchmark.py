"""benchmark_review seeds closed and canceled cases in bulk and times the Review page and CSV."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from playbooks import reports
from playbooks.models import JournalEntry, SuccessCase


@pytest.fixture
def output(db, manager) -> str:  # manager: the role groups exist
    out = StringIO()
    call_command("benchmark_review", cases=50, runs=1, stdout=out)
    return out.getvalue()


def test_it_seeds_the_cases_with_their_journal_and_prints_the_timings(output):
    assert SuccessCase.objects.filter(number__startswith="BEN").count() == 50
    assert "50 of 50 cases (100%)" in output
    assert "  5 of 50 cases (10%)" in output
    for label in ("Review page:", "CSV export, all cases:", "50 rows"):
        assert label in output
    # Every case left Initiate in its journal, so its time in phase is known.
    figures = reports.figures(reports.review_cases())
    assert figures.cases == 50
    assert all(phase.average is not None for phase in figures.phases[:2])
    assert JournalEntry.objects.filter(field="Phase", old_value="Initiate").count() == 50
    assert figures.closed + figures.canceled == 50


def test_a_second_run_only_times(output):
    out = StringIO()
    call_command("benchmark_review", cases=50, runs=1, stdout=out)
    assert "50 benchmark cases exist already: nothing to seed." in out.getvalue()
    assert SuccessCase.objects.count() == 50
