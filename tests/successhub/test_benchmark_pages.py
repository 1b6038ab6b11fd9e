"""benchmark_pages builds the small and large sets and prints one table of every page.

No timing is asserted: only that every page was measured at both sizes, with
numbers, and that the large set looks like what the services write.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from playbooks import reports
from playbooks.models import OPEN_PHASES
from playbooks.models import JournalEntry
from playbooks.models import SuccessCase
from successhub.benchmark import data
from successhub.benchmark.pages import ROW_LABELS
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan

NUMBER = r"[\d,.]+"
TIMES = "\u00d7"  # the ratio's multiplication sign


def run(**options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("benchmark_pages", cases=50, runs=1, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def rows(output: str) -> dict[str, list[str]]:
    """The markdown table's rows: {page: [cells after the page]}."""
    found = {}
    for line in output.splitlines():
        if line.startswith("| ") and not line.startswith("| Page"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            found[cells[0]] = cells[1:]
    return found


def test_it_measures_every_page_at_both_sizes(db):
    output, progress = run()
    assert "cases 50 of 50 (100%)" in progress
    table = rows(output)
    assert list(table) == ROW_LABELS
    for label, cells in table.items():
        queries_s, queries_l, ms_s, ms_l, ratio, paired, sql_l, _render, kb_s, kb_l = cells
        for cell in (queries_s, queries_l, ms_s, ms_l, sql_l, kb_s, kb_l):
            assert re.fullmatch(NUMBER, cell), (label, cells)
        assert re.fullmatch(NUMBER + TIMES, ratio), (label, cells)
        assert paired == "—" or re.fullmatch(NUMBER + TIMES, paired), (label, cells)
        if label != "Create plan from template (POST)":  # a redirect
            assert int(queries_l) > 0, label
    assert re.fullmatch(r"\d+%", table["Success Cases"][7])
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    assert f"- S (small): {vendor}" in output

    # The large set is what the services would have written.
    cases = SuccessCase.objects.filter(number__startswith="BEN")
    assert cases.count() == 50
    assert cases.filter(phase__in=OPEN_PHASES).count() == 50 // 11
    assert SuccessPlan.objects.filter(name__startswith="Benchmark plan ").count() == 2
    assert PlaybookTask.objects.filter(plan__name__startswith="Benchmark plan ").count() == 14
    assert JournalEntry.objects.filter(case__in=cases).count() > 5 * 50
    # Every finished case left Initiate in its journal: the Review knows its time in phase.
    figures = reports.figures(reports.review_cases().filter(number__startswith="BEN"))
    assert figures.cases == 50 - 50 // 11
    assert figures.phases[0].average is not None


def test_a_second_run_reuses_the_large_set_and_refuses_another(db):
    run(only="cases")
    before = SuccessCase.objects.count()
    output, progress = run(only="cases")
    assert "Reusing the large set" in progress
    assert SuccessCase.objects.count() == before
    assert list(rows(output)) == ["Success Cases"]
    with pytest.raises(CommandError, match="another benchmark set"):
        data.ensure_large(data.Size.scaled(60))


def test_rounds_pool_every_run_of_a_size():
    from successhub.benchmark import report

    def measured(times, sql, share):
        page = {"queries": 9, "kb": 4.0, "times_ms": times, "sql_ms": sql}
        page |= {"render_share": share, "median_ms": 0, "min_ms": 0, "max_ms": 0}
        return {"meta": {"size": "large", "runs": len(times)}, "pages": {"Home": page}}

    pooled = report.pool(
        [
            measured([10, 50, 60], 2.0, 0.5),
            measured([11, 12, 90], 4.0, 0.7),
            measured([13], 3, None),
        ]
    )
    home = pooled["pages"]["Home"]
    # The median of all seven runs, not the median of the rounds' medians (50, 12, 13 -> 13).
    assert (home["median_ms"], home["min_ms"], home["max_ms"]) == (13, 10, 90)
    assert (home["sql_ms"], home["render_share"], home["queries"]) == (3, 0.6, 9)
    assert pooled["meta"]["runs"] == 7 and pooled["meta"]["rounds"] == 3
    assert "median of 7 runs in 3 turns" in report.describe("L", pooled["meta"])


def test_the_paired_ratio_compares_the_sizes_turn_by_turn():
    from successhub.benchmark import report

    HOME = report.ROW_LABELS[0]

    def turns(*medians):
        page = {"queries": 9, "kb": 4.0, "sql_ms": 1.0, "render_share": None}
        rounds = []
        for median in medians:
            times = [median, median]
            row = page | {"times_ms": times, "median_ms": median, "min_ms": 0, "max_ms": 0}
            rounds.append({"meta": {"runs": 2}, "pages": {HOME: row}})
        return report.pool(rounds)

    # The machine was slow during the first turn's large runs and the second turn's small
    # ones: pooled, large reads 2.5x small; turn by turn 3.0, 1.25 and 1.2, median 1.25.
    small, large = turns(10, 20, 10), turns(30, 25, 12)
    s, lg = small["pages"][HOME], large["pages"][HOME]
    assert lg["median_ms"] / s["median_ms"] == 2.5
    assert report.paired_ratio(s, lg) == 1.25
    lines = report.table(small, large).splitlines()
    row = next(line for line in lines if line.startswith(f"| {HOME} |"))
    assert "| 2.50× | 1.25× |" in row  # noqa: RUF001 - the table's sign
    # One turn (or none) has no pairs to take a median of.
    one_s, one_l = turns(10), turns(12)
    assert report.paired_ratio(one_s["pages"][HOME], one_l["pages"][HOME]) is None
