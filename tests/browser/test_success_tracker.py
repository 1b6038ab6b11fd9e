"""The Success Tracker you can steer (issue 13, item 9), driven in Chromium as Customer
Success on the demo data: close and open an account, search by name, move a playbook task's
dates with the keys, by dragging its end and through the plain Dates form; bar labels keep
clear of today's line."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

from playwright.sync_api import Page
from playwright.sync_api import expect

from successplans.models import PlaybookTask
from successplans.timeline import Span
from successplans.timeline import format_span

from .checks import axe_problems

ACCOUNT = "Northwind Traders"
PLAN = "Northwind platform success plan"
TASK = "Train the first wave"  # demo: from 24 days ago until today


def _task() -> PlaybookTask:
    return PlaybookTask.objects.get(plan__name=PLAN, name=TASK)


def _open_tracker(page: Page, demo, query: str = "") -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo.url}/tracker/{query}")
    expect(page.get_by_role("heading", name="Success Tracker", level=1)).to_be_visible()


def _span(start: date, end: date) -> str:
    return format_span(Span(start, end))


def test_csm_closes_and_opens_an_account_and_searches(demo, sign_in, page):
    sign_in("csm")
    _open_tracker(page, demo)
    plan_row = page.get_by_role("row", name=f"Success Plan {PLAN}")
    expect(plan_row).to_be_visible()
    account = page.locator("summary", has_text=f"Account {ACCOUNT}")

    account.click()  # close: the plan and its records are out of sight
    expect(plan_row).to_be_hidden()
    expect(
        page.get_by_role("row", name="Success Plan Contoso clinical adoption plan")
    ).to_be_visible()
    account.click()  # open again
    expect(plan_row).to_be_visible()

    records = page.locator("summary", has_text=f"Records of {PLAN}")
    task_row = page.get_by_test_id(f"tracker-task-{_task().pk}")
    expect(task_row).to_be_visible()
    records.click()  # a plan's records close, the plan's own row stays
    expect(task_row).to_be_hidden()
    expect(plan_row).to_be_visible()

    search = page.get_by_label("Search", exact=True)
    search.fill("litware")
    search.press("Enter")
    expect(page.locator("details.tracker-group")).to_have_count(1)
    expect(page.locator("summary", has_text="Account Litware Financial")).to_be_visible()
    expect(plan_row).to_have_count(0)
    assert "q=litware" in page.url


def test_bar_labels_never_cross_todays_line(demo, sign_in, page):
    sign_in("agent")
    _open_tracker(page, demo)
    lanes = page.locator(".tracker-lane:has(.tracker-today):has(.tracker-bar-label)")
    assert lanes.count() >= 10
    overlaps = lanes.evaluate_all(
        """lanes => lanes.filter(lane => {
            const line = lane.querySelector('.tracker-today').getBoundingClientRect();
            const label = lane.querySelector('.tracker-bar-label').getBoundingClientRect();
            return label.left < line.right && line.left < label.right;
        }).map(lane => lane.textContent.trim())"""
    )
    assert overlaps == []


def test_the_timeline_takes_the_page_width(demo, sign_in, page):
    sign_in("agent")
    page.set_viewport_size({"width": 2200, "height": 900})
    page.goto(f"{demo.url}/tracker/")
    sheet = page.locator(".tracker-sheet").bounding_box()
    assert sheet["width"] > 2100  # wider than the other pages' 1680 px column


def test_csm_moves_a_task_with_the_keys(demo, sign_in, page):
    task = _task()
    start, end = task.start_date, task.end_date
    sign_in("csm")
    _open_tracker(page, demo)
    row = page.get_by_test_id(f"tracker-task-{task.pk}")
    bar = row.get_by_role("button", name=f"Move the dates of Playbook Task {TASK}")
    bar.focus()
    page.keyboard.press("ArrowRight")  # both dates a day later
    page.keyboard.press("Shift+ArrowRight")  # the end a day more
    status = page.get_by_test_id("tracker-move-status")
    new_start, new_end = start + timedelta(days=1), end + timedelta(days=2)
    expect(status).to_have_text(
        f"Playbook Task “{TASK}”: {_span(new_start, new_end)}. Enter saves, Escape cancels."
    )
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text(
        f"Playbook Task “{TASK}” now runs {_span(new_start, new_end)}."
    )
    task.refresh_from_db()
    assert (task.start_date, task.end_date) == (new_start, new_end)
    expect(page.get_by_test_id(f"tracker-task-{task.pk}")).to_contain_text(
        _span(new_start, new_end)
    )

    # Escape puts the bar back and saves nothing.
    bar = page.get_by_test_id(f"tracker-task-{task.pk}").locator(".tracker-drag")
    bar.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("tracker-move-status")).to_have_text("")
    task.refresh_from_db()
    assert (task.start_date, task.end_date) == (new_start, new_end)


def test_csm_drags_a_tasks_end(demo, sign_in, page):
    task = _task()
    start, end = task.start_date, task.end_date
    sign_in("csm")
    _open_tracker(page, demo, "?zoom=weeks")
    row = page.get_by_test_id(f"tracker-task-{task.pk}")
    handle = row.locator('.tracker-handle[data-edge="end"]')
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    days = int(page.locator(".tracker-sheet").get_attribute("data-window-days"))
    per_day = row.locator(".tracker-lane").bounding_box()["width"] / days
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + per_day * 3, y, steps=5)
    page.mouse.up()
    new_end = end + timedelta(days=3)
    expect(page.locator("#messages")).to_contain_text(
        f"Playbook Task “{TASK}” now runs {_span(start, new_end)}."
    )
    task.refresh_from_db()
    assert (task.start_date, task.end_date) == (start, new_end)


def test_csm_moves_a_task_by_the_dates_form(demo, sign_in, page):
    task = _task()
    start, end = task.start_date, task.end_date
    sign_in("csm")
    _open_tracker(page, demo)
    page.get_by_test_id(f"tracker-task-{task.pk}").get_by_role(
        "link", name=f"Dates of {TASK}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dates of Playbook Task “{TASK}”")

    # An end before the start: said next to End date, nothing saved.
    page.get_by_label("End date").fill((start - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The end date cannot be before the start date.")).to_be_visible()
    task.refresh_from_db()
    assert (task.start_date, task.end_date) == (start, end)

    page.get_by_label("Start date").fill((start + timedelta(days=2)).isoformat())
    page.get_by_label("End date").fill((end + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Success Tracker", level=1)).to_be_visible()
    task.refresh_from_db()
    assert (task.start_date, task.end_date) == (
        start + timedelta(days=2),
        end + timedelta(days=5),
    )


def test_a_participant_gets_no_drag_or_dates(demo, sign_in, page):
    sign_in("participant")
    _open_tracker(page, demo)
    expect(page.locator(".tracker-bar").first).to_be_visible()
    expect(page.locator(".tracker-drag")).to_have_count(0)
    expect(page.get_by_role("link", name=f"Dates of {TASK}")).to_have_count(0)


def test_the_tracker_the_dates_form_and_the_one_window_pass_axe(demo, sign_in, page):
    task = _task()
    sign_in("csm")
    _open_tracker(page, demo)
    page.locator("summary", has_text=f"Records of {PLAN}").click()  # one plan closed
    assert axe_problems(page) == []
    page.goto(f"{demo.url}/tracker/dates/task/{task.pk}/")
    page.get_by_label("End date").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Enter the end date.")).to_be_visible()
    assert axe_problems(page) == []
    page.goto(f"{demo.url}/plans/create/?account={task.plan.account_id}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("A blank plan needs a name.")).to_be_visible()
    assert axe_problems(page) == []
