"""Forms with their errors, the search message, the sign-in page and the menus pass axe-core
(axe-playwright-python) with no serious or critical violation, and the main flow works with
the keyboard alone. Every page of every role is checked by the crawl of test_every_page.py.
"""

import pytest
from playwright.sync_api import expect

from successplans.models import ObjectiveKPI
from successplans.models import SuccessPlan

from .checks import axe_problems


@pytest.mark.parametrize(
    "username, path, button",
    [
        ("agent", "/cases/new/", "Continue"),
        ("csm", "/plans/new/", None),
        ("manager", "/password/", "Change password"),
    ],
)
def test_a_form_with_its_errors_passes_axe(demo, sign_in, page, username, path, button):
    sign_in(username)
    page.goto(f"{demo.url}{path}")
    form = page.locator("main form").last
    submit = form.get_by_role("button", name=button) if button else form.locator(".primary").last
    submit.click()
    page.wait_for_load_state("load")
    assert axe_problems(page) == []


def test_the_search_page_with_its_message_passes_axe(demo, sign_in, page):
    sign_in("participant")
    page.goto(f"{demo.url}/search/?q=")
    expect(page.get_by_text("Type a name, a word or a number")).to_be_visible()
    assert axe_problems(page) == []


def test_the_sign_in_page_and_the_menus_pass_axe(demo, sign_in, page):
    page.goto(f"{demo.url}/login/")
    assert axe_problems(page) == []
    sign_in("agent")
    page.get_by_test_id("user-name").click()  # the user menu, open
    assert axe_problems(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Menu").click()
    assert axe_problems(page) == []


# -- keyboard only ---------------------------------------------------------------------------------
FOCUSED = "() => { const e = document.activeElement;" \
    " return (e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent || '')" \
    ".trim(); }"  # fmt: skip


def _tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's name starts with ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED).startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_sign_in_new_case_and_continue_with_the_keyboard_only(demo, page):
    page.goto(f"{demo.url}/login/")
    _tab_to(page, "Username")
    page.keyboard.type("agent")
    _tab_to(page, "Password")
    page.keyboard.type("demo-browser-pass")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    _tab_to(page, "Success Cases")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="All Success Cases")).to_be_visible()
    _tab_to(page, "New")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New success case")).to_be_visible()

    _tab_to(page, "Number")  # past the top bar's Engagements link
    _tab_to(page, "Engagement")  # one box; its matches are radios under it
    page.keyboard.type("co")
    expect(page.get_by_role("radiogroup", name="Matching open engagements")).to_be_visible()
    page.keyboard.press("ArrowDown")  # to the first match, chosen
    assert page.evaluate("document.activeElement.checked") is True
    _tab_to(page, "Continue")
    page.keyboard.press("Enter")
    expect(page.get_by_text("created.")).to_be_visible()
    expect(page.get_by_role("heading", name="Initiate · Enter core information")).to_be_visible()


def test_the_kpi_grid_with_the_keyboard_only(demo, sign_in, page):
    """Objective KPI Overview: reach a cell, change it and Save without the mouse."""
    plan = SuccessPlan.objects.get(name="Northwind platform success plan")
    kpi = ObjectiveKPI.objects.get(objective__plan=plan, name="Licenses activated")
    sign_in("csm")
    page.goto(f"{demo.url}{plan.get_absolute_url()}")
    _tab_to(page, "Objective KPIs")
    page.keyboard.press("Enter")
    sections = page.get_by_role("navigation", name="Success plan sections")
    expect(sections.get_by_role("link", name="Objective KPIs", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.wait_for_load_state()
    _tab_to(page, "Current of Licenses activated")
    page.keyboard.press("Control+A")
    page.keyboard.type("351")
    _tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("saved")
    kpi.refresh_from_db()
    assert kpi.current == 351
