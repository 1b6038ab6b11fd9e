"""Success plan grids at 1280 px, driven in Chromium as Customer Success (issue 13).

- The record type picker: each radio sits left of its label on one line, the first chosen.
- The Select Records grid fits the page (no sideways scrolling, names left-aligned and
  whole, the Resources column inside the page); Back and Next keep the deselected playbook
  and the renamed objective.
- The Objective KPI Overview grid fits the page, shows whole names and options, due dates
  as "Jan 30, 2027" and each KPI's progress; two KPIs are added and one deleted in one save.
"""

from __future__ import annotations

from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import expect

from successplans.models import KPIValue
from successplans.models import ObjectiveKPI
from successplans.models import SuccessPlan

ACCOUNT = "Tailspin Toys"
TEMPLATE = "Onboarding — 90 days"
DEMO_PLAN = "Northwind platform success plan"
WIDE = {"width": 1280, "height": 900}


def _nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name=name, exact=True
    ).click()


def _no_sideways_scrolling(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def _fits(box: Locator) -> None:
    """``box`` (a scroll container) shows all of its content: no sideways scrolling."""
    sizes = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] <= sizes[1], f"content {sizes[0]}px wide in a {sizes[1]}px box"


def _whole_text(field: Locator) -> None:
    """A text box shows its whole value: nothing cut off."""
    sizes = field.evaluate("el => [el.scrollWidth, el.clientWidth, el.value]")
    assert sizes[0] <= sizes[1], f"“{sizes[2]}” is cut off ({sizes[0]}px in {sizes[1]}px)"


def _whole_option(select: Locator) -> None:
    """A select is wide enough for its chosen option's text (plus its arrow)."""
    needed, width, text = select.evaluate(
        """el => {
            const c = document.createElement('canvas').getContext('2d');
            c.font = getComputedStyle(el).font;
            const text = el.options[el.selectedIndex].text;
            return [c.measureText(text).width + 24, el.clientWidth, text];
        }"""
    )
    assert width >= needed, f"“{text}” needs {needed:.0f}px, the select is {width}px"


def _right_edge_inside(element: Locator, width: int = WIDE["width"]) -> None:
    box = element.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


def test_the_record_type_picker_reads_as_a_list_at_1280(demo, sign_in, page):
    page.set_viewport_size(WIDE)
    sign_in("csm")
    _nav(page, "Success Plans")
    page.get_by_role("link", name="New", exact=True).first.click()
    expect(
        page.get_by_role("heading", name="New Success Plan: select a record type")
    ).to_be_visible()
    radios = page.get_by_role("radio")
    expect(radios).to_have_count(2)
    expect(radios.first).to_be_checked()  # the first record type, chosen already
    for radio in radios.all():
        label = radio.locator("xpath=ancestor::label[1]")
        radio_box, label_box = radio.bounding_box(), label.bounding_box()
        # The radio at the label's left edge, on the label's line (not centred above it).
        assert abs(radio_box["x"] - label_box["x"]) <= 8, (radio_box, label_box)
        assert radio_box["y"] >= label_box["y"] - 2
        assert radio_box["y"] + radio_box["height"] <= label_box["y"] + label_box["height"] + 2
        assert label_box["height"] < 2.2 * radio_box["height"] + 8
    _no_sideways_scrolling(page)


def test_back_and_next_keep_the_select_records_grid_which_fits_1280(demo, sign_in, page):
    page.set_viewport_size(WIDE)
    sign_in("csm")
    _nav(page, "Accounts")
    page.get_by_role("link", name=ACCOUNT, exact=True).click()
    page.get_by_role("link", name="Create Success Plan").click()
    page.get_by_role("link", name="From a template").click()
    # The template's name selects it (it no longer leaves the creation flow).
    page.get_by_role("link", name=TEMPLATE, exact=True).click()
    expect(page.get_by_role("heading", name="Create Success Plan from a template")).to_be_visible()
    name = page.get_by_label("Name", exact=True)
    expect(name).to_have_value(f"{ACCOUNT}: {TEMPLATE}")
    page.get_by_role("button", name="Next").click()

    grid = page.locator("#select-records")
    expect(grid.get_by_role("heading", name="Select Records")).to_be_visible()
    _no_sideways_scrolling(page)
    _fits(grid.locator(".table-scroll"))
    _right_edge_inside(grid.get_by_role("columnheader", name="Resources"))
    kickoff_task = grid.get_by_label("Name of playbook task Kickoff meeting with the sponsor")
    _whole_text(kickoff_task)
    assert kickoff_task.evaluate("el => getComputedStyle(el).textAlign") in ("left", "start")
    for field in grid.locator("td.cell-name input").all():
        _whole_text(field)

    # Untick a playbook, rename an objective, Back, then Next: both kept.
    grid.get_by_label("Select playbook Kickoff and setup", exact=True).uncheck()
    objective = grid.get_by_label("Name of objective Drive first-month adoption", exact=True)
    objective.fill("Drive adoption in the first month")
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_text("Next shows the Select Records grid as you left it.")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(grid.get_by_label("Select playbook Kickoff and setup", exact=True)).not_to_be_checked()
    expect(grid.get_by_label("Select playbook User enablement", exact=True)).to_be_checked()
    expect(objective).to_have_value("Drive adoption in the first month")

    page.get_by_role("button", name="Create").last.click()
    expect(page.get_by_role("heading", name=f"{ACCOUNT}: {TEMPLATE}", level=1)).to_be_visible()
    plan = SuccessPlan.objects.get(name=f"{ACCOUNT}: {TEMPLATE}")
    assert not plan.playbooks.filter(name="Kickoff and setup").exists()
    assert plan.objectives.filter(name="Drive adoption in the first month").exists()


def test_csm_adds_two_kpis_and_deletes_one_in_the_grid_at_1280(demo, sign_in, page):
    page.set_viewport_size(WIDE)
    sign_in("csm")
    _nav(page, "Success Plans")
    page.get_by_role("link", name=DEMO_PLAN, exact=True).click()
    page.get_by_role("navigation", name="Success plan sections").get_by_role(
        "link", name="Objective KPIs"
    ).click()
    grid = page.locator("#kpi-grid")
    expect(grid.get_by_role("heading", name="Objective KPI Overview")).to_be_visible()

    # At 1280 px: no sideways scrolling, names and options whole, dates as on other pages.
    _no_sideways_scrolling(page)
    _fits(grid.locator(".table-scroll"))
    for field in grid.locator("td.cell-name input").all():
        _whole_text(field)
    for select in grid.locator("td.cell-direction select").all():
        _whole_option(select)
    for field in grid.locator("td.cell-due_date input").all():
        _whole_text(field)
    due = grid.get_by_label("Due date of Weekly active users", exact=True)
    weekly = ObjectiveKPI.objects.get(name="Weekly active users", objective__plan__name=DEMO_PLAN)
    expect(due).to_have_value(_shown(weekly.due_date))
    licenses = grid.get_by_role("row").filter(
        has=page.get_by_role("textbox", name="Name of Licenses activated", exact=True)
    )
    # 120 → 310 of the way to 400: 67 % (never rounded up to a share not reached yet)
    expect(licenses.get_by_test_id("kpi-progress")).to_have_text("67%")

    # Two new rows, each with its objective; Delete ticked on one KPI; one Save.
    for number in (1, 2):  # each click brings the grid back with one more row
        page.get_by_role("button", name="Add KPI").click()
        expect(grid.get_by_label(f"Name of new KPI {number}", exact=True)).to_be_visible()
    grid.get_by_label("Objective of new KPI 1").select_option(label="Reach broad daily adoption")
    grid.get_by_label("Name of new KPI 1", exact=True).fill("Mobile app logins")
    grid.get_by_label("Target of new KPI 1", exact=True).fill("500")
    grid.get_by_label("Objective of new KPI 2").select_option(
        label="Prove measurable business value"
    )
    grid.get_by_label("Name of new KPI 2", exact=True).fill("Hours saved per week")
    grid.get_by_label("Current of new KPI 2", exact=True).fill("12")
    grid.get_by_label("Delete of Integration uptime", exact=True).check()
    _no_sideways_scrolling(page)
    grid.get_by_role("button", name="Save", exact=True).last.click()

    expect(page.locator("#messages")).to_contain_text("Objective KPIs saved: 2 added, 1 deleted.")
    expect(
        grid.get_by_role("textbox", name="Name of Mobile app logins", exact=True)
    ).to_be_visible()
    expect(grid.get_by_role("textbox", name="Name of Integration uptime")).to_have_count(0)
    plan = SuccessPlan.objects.get(name=DEMO_PLAN)
    names = set(ObjectiveKPI.objects.filter(objective__plan=plan).values_list("name", flat=True))
    assert {"Mobile app logins", "Hours saved per week"} <= names
    assert "Integration uptime" not in names
    hours = ObjectiveKPI.objects.get(name="Hours saved per week", objective__plan=plan)
    assert hours.objective.name == "Prove measurable business value"
    assert KPIValue.objects.filter(kpi=hours).get().value == 12


def _shown(day) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _one_window(page: Page) -> Locator:
    """Accounts → Tailspin Toys → Create Success Plan: the one window (issue 13, item 11)."""
    page.set_viewport_size(WIDE)
    _nav(page, "Accounts")
    page.get_by_role("link", name=ACCOUNT, exact=True).click()
    page.get_by_role("link", name="Create Success Plan").click()
    expect(page.get_by_role("heading", name="Create Success Plan", level=1)).to_be_visible()
    window = page.get_by_test_id("plan-start")
    account = window.get_by_label("Account", exact=True)
    expect(account.locator("option:checked")).to_have_text(ACCOUNT)  # from ?account=
    return window


def test_a_blank_plan_is_created_in_one_window(demo, sign_in, page):
    """Choice, record type and fields together: one Continue creates the plan."""
    sign_in("csm")
    window = _one_window(page)
    expect(window.get_by_label("Blank success plan")).to_be_checked()
    standard = window.get_by_label("Standard plan")
    standard_box, label_box = (
        standard.bounding_box(),
        standard.locator("xpath=ancestor::label[1]").bounding_box(),
    )
    assert abs(standard_box["x"] - label_box["x"]) <= 8
    _no_sideways_scrolling(page)

    window.get_by_role("button", name="Continue").click()  # no name yet: said next to Name
    expect(page.get_by_text("A blank plan needs a name.")).to_be_visible()
    assert not SuccessPlan.objects.filter(account__name=ACCOUNT).exists()

    window = page.get_by_test_id("plan-start")
    window.get_by_label("Standard plan").check()
    window.get_by_label("Name", exact=True).fill("Tailspin spring launch")
    window.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Tailspin spring launch", level=1)).to_be_visible()
    plan = SuccessPlan.objects.get(name="Tailspin spring launch")
    assert (plan.account.name, plan.record_type.name) == (ACCOUNT, "Standard plan")


def test_a_plan_from_a_template_starts_in_the_same_window(demo, sign_in, page):
    sign_in("csm")
    window = _one_window(page)
    window.get_by_label(TEMPLATE, exact=True).check()
    window.get_by_role("button", name="Continue").click()  # the name is made up from both

    grid = page.locator("#select-records")
    expect(grid.get_by_role("heading", name="Select Records")).to_be_visible()
    grid.get_by_label("Select playbook Kickoff and setup", exact=True).uncheck()
    page.get_by_role("button", name="Create").last.click()
    expect(page.get_by_role("heading", name=f"{ACCOUNT}: {TEMPLATE}", level=1)).to_be_visible()
    plan = SuccessPlan.objects.get(name=f"{ACCOUNT}: {TEMPLATE}")
    assert plan.account.name == ACCOUNT and not plan.is_template
    assert not plan.playbooks.filter(name="Kickoff and setup").exists()
    assert plan.objectives.exists()
