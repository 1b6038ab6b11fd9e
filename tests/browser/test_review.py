"""Review, in Chromium, as the demo manager: filter, read the figures, open a timeline,
mark the case Reviewed and export the CSV. The expected figures are computed here
from the demo data in the database, independently of playbooks/reports/.
"""

from __future__ import annotations

import csv
import math
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from core.formatting import duration
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import Phase
from playbooks.models import SuccessCase

CODE = "Outcome achieved"
NOTE = "Clean handover; reuse the kickoff agenda for the next clinical account."


def _quantile(values: list[timedelta], q: float) -> timedelta:
    """The q-quantile as the page computes it: PostgreSQL's PERCENTILE_CONT interpolates
    between the two neighbouring values; SQLite takes the value at floor(q * (n - 1))."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = ordered[math.floor(position)]
    if connection.vendor != "postgresql":
        return low
    high = ordered[math.ceil(position)]
    return low + (high - low) * (position - math.floor(position))


def _expected(since, until) -> list[SuccessCase]:
    """The demo cases closed with CODE between the two dates, both included."""
    cases = SuccessCase.objects.filter(
        phase=Phase.CLOSED,
        closure_code__name=CODE,
        closed_at__date__gte=since,
        closed_at__date__lte=until,
    )
    return sorted(cases, key=lambda c: c.closed_at, reverse=True)


def test_manager_reviews_a_closed_case_and_exports_the_list(demo, sign_in, page, tmp_path):
    today = timezone.localdate()
    since, until = today - timedelta(days=50), today - timedelta(days=1)
    expected = _expected(since, until)
    assert len(expected) >= 3, "the demo data should have several such cases"
    cycle_times = [c.closed_at - c.opened_at for c in expected]

    sign_in("manager")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Review", exact=True)).to_be_visible()
    # All closed and canceled demo cases first, counted here from the rows.
    closed = SuccessCase.objects.filter(phase=Phase.CLOSED).count()
    canceled = SuccessCase.objects.filter(phase=Phase.CANCELED).count()
    assert closed >= 9 and canceled >= 2, "the demo data should have several of each"
    expect(page.get_by_test_id("figure-closed")).to_have_text(str(closed))
    expect(page.get_by_test_id("figure-canceled")).to_have_text(str(canceled))
    expect(
        page.get_by_role("img", name="Closed and canceled success cases per week of closing")
    ).to_be_visible()

    # Filter: one closure code, closed between two dates.
    page.get_by_label("Closure code", exact=True).select_option(label=CODE)
    page.get_by_label("Closed from", exact=True).fill(since.isoformat())
    page.get_by_label("Closed to", exact=True).fill(until.isoformat())
    page.get_by_role("button", name="Filter").click()

    rows = page.get_by_test_id("review-cases").locator("tbody tr")
    expect(rows).to_have_count(len(expected))
    for row, case in zip(rows.all(), expected, strict=True):
        expect(row.get_by_role("link").first).to_have_text(case.number)
    expect(page.get_by_test_id("figure-closed")).to_have_text(str(len(expected)))
    expect(page.get_by_test_id("figure-canceled")).to_have_text("0")
    expect(page.get_by_test_id("figure-cycle-median")).to_have_text(
        duration(_quantile(cycle_times, 0.5))
    )
    expect(page.get_by_test_id("figure-cycle-p90")).to_have_text(
        duration(_quantile(cycle_times, 0.9))
    )
    meetings = sum(c.meetings.count() for c in expected)
    expect(page.get_by_test_id("figure-meetings")).to_have_text(f"{meetings / len(expected):.1f}")
    codes = page.get_by_test_id("closure-codes").locator("tbody tr")
    expect(codes).to_have_count(1)
    expect(codes.first).to_contain_text(f"{CODE}{len(expected)}100%")

    # The timeline of a case not reviewed yet, oldest first.
    case = next(c for c in expected if c.reviewed_at is None)
    page.get_by_role("link", name=case.number, exact=True).click()
    expect(page.get_by_test_id("case-number")).to_have_text(case.number)
    timeline = page.get_by_test_id("timeline").get_by_role("listitem")
    expect(timeline).to_have_count(JournalEntry.objects.filter(case=case).count())
    expect(timeline.first).to_contain_text("State: — → Open")
    expect(timeline.last).to_contain_text("Playbook state: In progress → Completed")
    expect(page.get_by_test_id("timeline")).to_contain_text("Progress: In progress → Completed")
    expect(page.get_by_test_id("timeline")).to_contain_text("Phase: Initiate → Assist")
    expect(page.get_by_test_id("review-state")).to_have_text("Not reviewed")

    # Mark Reviewed: an empty note is refused next to the field, then with a note.
    page.get_by_role("button", name="Mark Reviewed").click()
    expect(page.locator(".field-error")).to_have_text("Enter a review note.")
    page.get_by_label("Review note", exact=True).fill(NOTE)
    page.get_by_role("button", name="Mark Reviewed").click()
    expect(page.get_by_role("status")).to_contain_text(f"{case.number} is marked Reviewed.")
    expect(page.get_by_test_id("review-state")).to_have_text("Reviewed")
    expect(timeline.last).to_contain_text("Reviewed: No → Yes")
    expect(timeline.last).to_contain_text(NOTE)
    expect(timeline.last).to_contain_text("Morgan Chen")
    expect(page.get_by_role("button", name="Mark Reviewed")).to_have_count(0)
    case.refresh_from_db()
    assert case.review_note == NOTE

    # Back to the list, reviewed ones only: the case is among them.
    code = ClosureCode.objects.get(name=CODE)
    page.goto(
        f"{demo.url}/review/?closure_code={code.pk}&closed_from={since}&closed_to={until}"
        "&reviewed=yes"
    )
    expect(page.get_by_label("Reviewed", exact=True)).to_have_value(
        "true"
    )  # an older ?reviewed=yes link reads as Yes
    reviewed = {c.number for c in expected if c.reviewed_at or c.pk == case.pk}
    expect(rows).to_have_count(len(reviewed))
    expect(page.get_by_test_id("review-cases")).to_contain_text(case.number)

    # Export CSV of the filtered list (closure code, dates, reviewed).
    page.get_by_label("Reviewed", exact=True).select_option(label="Any")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(len(expected))
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    with target.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert [row["Number"] for row in exported] == [c.number for c in expected]
    by_number = {row["Number"]: row for row in exported}
    assert by_number[case.number]["Reviewed"] == "Yes"
    assert {row["Closure code"] for row in exported} == {CODE}
    assert {row["State"] for row in exported} == {"Closed"}
    for c in expected:
        hours = (c.closed_at - c.opened_at).total_seconds() / 3600
        assert float(by_number[c.number]["Cycle time hours"]) == round(hours, 2)
        assert int(by_number[c.number]["Meetings"]) == c.meetings.count()
        assert int(by_number[c.number]["Tasks"]) == c.tasks.count()


def test_an_agent_cannot_open_review(demo, sign_in, page):
    sign_in("agent")
    expect(page.get_by_role("navigation", name="Workspace")).not_to_contain_text("Review")
    response = page.goto(f"{demo.url}/review/")
    assert response.status == 403
    response = page.goto(f"{demo.url}/review/export.csv")
    assert response.status == 403


def test_a_manager_narrows_the_closed_dates_to_chart_an_older_week(demo, sign_in, page):
    """The weekly chart shows the selection's last 26 weeks and says how many earlier weeks
    with cases it leaves out; narrowing the Closed dates charts them."""
    old = SuccessCase.objects.filter(phase=Phase.CLOSED).order_by("closed_at").first()
    forty_weeks = timedelta(weeks=40)
    SuccessCase.objects.filter(pk=old.pk).update(
        opened_at=old.opened_at - forty_weeks, closed_at=old.closed_at - forty_weeks
    )
    closed_on = timezone.localdate(old.closed_at - forty_weeks)

    sign_in("manager")
    page.goto(f"{demo.url}/review/")
    caption = page.get_by_test_id("weeks-shown")
    expect(caption).to_contain_text("the last 26 weeks; 1 earlier week with cases count")

    page.get_by_label("Closed from", exact=True).fill(closed_on.isoformat())
    page.get_by_label("Closed to", exact=True).fill(closed_on.isoformat())
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("figure-closed")).to_have_text("1")
    expect(page.get_by_test_id("review-cases").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("review-cases")).to_contain_text(old.number)
    expect(caption).to_have_count(0)
