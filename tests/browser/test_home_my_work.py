"""Each demo role signs in and finds its My Work filled, every item a link it can follow."""

import re

import pytest
from playwright.sync_api import expect

# The panels each demo user sees first, by their headings.
PANELS = {
    "agent": ["My open success cases", "My case tasks", "My meetings of the next 7 days",
              "Cases I am in the squad of"],
    "csm": ["Success plans I own", "Objectives and playbook tasks due in the next 14 days",
            "Business challenges opened this month"],
    "manager": ["Awaiting review", "Closed and canceled this month"],
    "participant": ["Success plans I take part in", "Success cases I take part in"],
}  # fmt: skip


@pytest.mark.parametrize("username", list(PANELS))
def test_each_role_finds_its_panels_filled(demo, sign_in, page, username):
    sign_in(username)
    main = page.get_by_role("main")
    for title in PANELS[username]:
        panel = main.get_by_role("region", name=title)
        expect(panel).to_be_visible()
    # the first panel lists rows, each a link
    first = main.get_by_role("region", name=PANELS[username][0])
    expect(first.locator("td.empty")).to_have_count(0)
    expect(first.get_by_role("link").first).to_be_visible()


def test_an_agent_follows_an_overdue_task_to_its_page(demo, sign_in, page):
    sign_in("agent")
    tasks = page.get_by_role("region", name="My case tasks")
    row = tasks.get_by_role("row").filter(has_text="overdue").first
    expect(row).to_be_visible()
    number = row.get_by_role("link").first.inner_text()
    row.get_by_role("link", name=number).click()
    expect(page).to_have_url(re.compile(rf"/tasks/{number}/$"))


def test_a_manager_opens_the_oldest_case_awaiting_review(demo, sign_in, page):
    sign_in("manager")
    queue = page.get_by_role("region", name="Awaiting review")
    expect(queue.get_by_test_id("count-review_queue")).to_have_text(re.compile(r"\(\d+\)"))
    link = queue.get_by_role("row").nth(1).get_by_role("link").first
    number = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(rf"/review/{number}/$"))
    expect(page.get_by_role("button", name="Mark Reviewed")).to_be_visible()


def test_a_csm_opens_a_plan_with_its_kpi_badges(demo, sign_in, page):
    sign_in("csm")
    plans = page.get_by_role("region", name="Success plans I own")
    expect(plans.locator(".badge").first).to_be_visible()
    plans.get_by_role("row").nth(1).get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/$"))
