"""Success plans, driven through the real pages in Chromium.

A Customer Success user creates a plan from an account (record type picker,
two business challenges), adds an objective with two KPIs, a playbook and a
task in place on the Related tab, edits both KPIs at once in the Objective KPI
Overview grid and finds it all on the Success Tracker; an invalid grid cell
saves nothing; a Participant sees every page read-only and the server refuses
the changes the pages no longer offer.
"""

from __future__ import annotations

import json
import re
from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import expect

from engagements.models import Account
from successplans.models import BusinessChallenge
from successplans.models import KPIValue
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan

ACCOUNT = "Tailspin Toys"
PLAN = "Tailspin holiday launch plan"
OBJECTIVE = "Grow repeat orders"
PLAYBOOK = "Launch playbook"
TASK = "Brief the store managers"
KPI_LOGINS = "Weekly store logins"
KPI_TICKETS = "Open support tickets"
DEMO_PLAN = "Northwind platform success plan"


def _iso(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def _nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name=name, exact=True
    ).click()


def _tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Success plan sections").get_by_role(
        "link", name=name, exact=True
    ).click()
    expect(
        page.get_by_role("navigation", name="Success plan sections").get_by_role(
            "link", name=name, exact=True
        )
    ).to_have_attribute("aria-current", "page")


def _grid(page: Page) -> Locator:
    return page.locator("#kpi-grid")


def _grid_row(page: Page, kpi: str) -> Locator:
    """The grid row of one KPI, found by its (labelled) Name cell."""
    return (
        _grid(page)
        .get_by_role("row")
        .filter(has=page.get_by_role("textbox", name=f"Name of {kpi}", exact=True))
    )


def _csrf_token(page: Page) -> str:
    """The CSRF token htmx sends, from the body's ``hx-headers`` JSON."""
    return json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]


def _add_kpi(page: Page, name, unit, baseline, current, target, due, *, lower=False) -> None:
    kpis = page.get_by_test_id("objective-kpis")
    kpis.get_by_role("link", name="New Objective KPI").click()
    panel = kpis.get_by_test_id("panel")
    expect(panel.get_by_role("heading", name="New Objective KPI")).to_be_visible()
    panel.get_by_label("Name", exact=True).fill(name)
    panel.get_by_label("Unit", exact=True).fill(unit)
    panel.get_by_label("Baseline", exact=True).fill(baseline)
    panel.get_by_label("Current", exact=True).fill(current)
    panel.get_by_label("Target", exact=True).fill(target)
    if lower:
        panel.get_by_label("Direction", exact=True).select_option(label="Lower is better")
    panel.get_by_label("Due date", exact=True).fill(due)
    panel.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_have_text(f"Objective KPI “{name}” created.")
    expect(kpis.get_by_test_id("kpi-row").filter(has_text=name)).to_be_visible()


def test_csm_creates_a_plan_from_an_account_and_tracks_it(demo, sign_in, page):
    sign_in("csm")

    # Accounts, Tailspin Toys (no demo plan), Create Success Plan, a record type.
    _nav(page, "Accounts")
    page.get_by_role("link", name=ACCOUNT, exact=True).click()
    expect(page.get_by_role("heading", name=ACCOUNT, level=1)).to_be_visible()
    page.get_by_role("link", name="Create Success Plan").click()
    expect(page.get_by_role("heading", name="Create Success Plan", level=1)).to_be_visible()
    page.get_by_role("link", name="Blank success plan").click()
    expect(
        page.get_by_role("heading", name="New Success Plan: select a record type")
    ).to_be_visible()
    page.get_by_label("Standard plan").check()
    page.get_by_role("button", name="Next").click()

    # The window: the Record Type read-only, the Account pre-filled with the account.
    expect(page.get_by_label("Record Type")).to_have_text("Standard plan")
    expect(page.get_by_label("Record Type")).not_to_be_editable()
    account = page.get_by_label("Account", exact=True)
    expect(account.locator("option:checked")).to_have_text(ACCOUNT)
    page.get_by_role("textbox", name="Name", exact=True).first.fill(PLAN)
    page.get_by_label("Effective date").fill(_iso(0))
    page.get_by_label("End date").fill(_iso(180))
    page.get_by_label("Owner (allocated resource)").select_option(label="Casey Morgan")

    # Two business challenges: no blank row to start with, "Add business challenge" adds one.
    rows = page.get_by_role("group", name="New business challenge", exact=True)
    expect(rows).to_have_count(0)
    page.get_by_role("button", name="Add business challenge").click()
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="Add business challenge").click()
    expect(rows).to_have_count(2)
    challenges = [
        ("Seasonal staff turnover", "Adoption", "New store staff every season."),
        ("POS data arrives late", "Data quality", "Sales data lands a day late."),
    ]
    for row, (name, category, notes) in zip(rows.all(), challenges, strict=True):
        row.get_by_label("Name", exact=True).fill(name)
        row.get_by_label("Category").select_option(label=category)
        row.get_by_label("Notes").fill(notes)
    page.get_by_role("button", name="Save", exact=True).click()

    # The plan's page: the account and both challenges.
    expect(page.get_by_role("heading", name=PLAN, level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"Success plan “{PLAN}” created.")
    plan = SuccessPlan.objects.get(name=PLAN)
    assert plan.account == Account.objects.get(name=ACCOUNT)
    assert plan.record_type.name == "Standard plan"
    assert plan.owner.user.username == "csm"
    assert plan.effective_date == date.today()
    assert plan.end_date == date.today() + timedelta(days=180)
    assert sorted(plan.business_challenges.values_list("name", "category__name", "notes")) == (
        sorted(challenges)
    )
    expect(page.locator("dl.details").first.get_by_role("link", name=ACCOUNT)).to_be_visible()
    challenge_table = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="Category")
    )
    for name, category, _notes in challenges:
        expect(challenge_table.get_by_role("row").filter(has_text=name)).to_contain_text(category)

    # Related tab: an objective, in place.
    _tab(page, "Related")
    objectives = page.get_by_test_id("related-objectives")
    objectives.get_by_role("link", name="New Objective").click()
    panel = objectives.get_by_test_id("panel")
    panel.get_by_label("Name", exact=True).fill(OBJECTIVE)
    panel.get_by_label("Start date").fill(_iso(0))
    panel.get_by_label("End date").fill(_iso(120))
    panel.get_by_label("Resource", exact=True).select_option(label="Casey Morgan")
    panel.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_have_text(f"Objective “{OBJECTIVE}” created.")
    expect(objectives.get_by_test_id("panel")).to_have_count(0)
    objective_row = objectives.get_by_test_id("objective-row")
    expect(objective_row).to_have_count(1)
    expect(objective_row.get_by_role("cell")).to_contain_text(
        [OBJECTIVE, "Not Started", "Casey Morgan", "0"]
    )
    objective = Objective.objects.get(plan=plan, name=OBJECTIVE)
    assert objective.resource.user.username == "csm"

    # The objective's page: two KPIs, in place in its KPI list.
    objectives.get_by_role("link", name=OBJECTIVE, exact=True).click()
    expect(page.get_by_role("heading", name=f"Objective: {OBJECTIVE}")).to_be_visible()
    _add_kpi(page, KPI_LOGINS, "logins", "10", "20", "50", _iso(60))
    _add_kpi(page, KPI_TICKETS, "tickets", "40", "30", "10", _iso(90), lower=True)
    logins = ObjectiveKPI.objects.get(objective=objective, name=KPI_LOGINS)
    tickets = ObjectiveKPI.objects.get(objective=objective, name=KPI_TICKETS)
    assert (logins.current, logins.target, logins.unit) == (Decimal(20), Decimal(50), "logins")
    assert tickets.direction == ObjectiveKPI.Direction.LOWER

    # Objective KPIs tab: both KPIs in the grid; one edit in each row, one Save.
    page.get_by_role("link", name=PLAN, exact=True).first.click()
    _tab(page, "Objective KPIs")
    grid = _grid(page)
    expect(grid.get_by_role("heading", name="Objective KPI Overview")).to_be_visible()
    expect(grid.get_by_role("rowheader", name=f"Objective: {OBJECTIVE}")).to_be_visible()
    expect(_grid_row(page, KPI_LOGINS)).to_have_count(1)
    expect(_grid_row(page, KPI_TICKETS)).to_have_count(1)
    expect(grid.get_by_label(f"Current of {KPI_LOGINS}")).to_have_value("20.00")
    expect(grid.get_by_label(f"Current of {KPI_TICKETS}")).to_have_value("30.00")
    grid.get_by_label(f"Current of {KPI_LOGINS}").fill("55")
    grid.get_by_label(f"Current of {KPI_TICKETS}").fill("25")
    grid.get_by_role("button", name="Save").click()

    expect(page.locator("#messages")).to_have_text("Objective KPIs saved: 2 changed.")
    expect(grid.get_by_label(f"Current of {KPI_LOGINS}")).to_have_value("55.00")
    expect(grid.get_by_label(f"Current of {KPI_TICKETS}")).to_have_value("25.00")
    expect(_grid_row(page, KPI_LOGINS).get_by_test_id("kpi-badge")).to_have_text("Completed")
    expect(_grid_row(page, KPI_TICKETS).get_by_test_id("kpi-badge")).to_have_text("In Progress")
    csm = get_user_model().objects.get(username="csm")
    for kpi, value in ((logins, Decimal(55)), (tickets, Decimal(25))):
        kpi.refresh_from_db()
        assert kpi.current == value
        latest = kpi.history.order_by("-recorded_at", "-pk").first()
        assert (latest.value, latest.recorded_by) == (value, csm)
        assert kpi.history.count() == 2  # the value it was created with, and the grid's

    # Related tab again: a playbook, then a task in it with two resources, in place.
    _tab(page, "Related")
    playbooks = page.get_by_test_id("related-playbooks")
    playbooks.get_by_role("link", name="New Playbook").click()
    panel = playbooks.get_by_test_id("panel")
    panel.get_by_label("Name", exact=True).fill(PLAYBOOK)
    panel.get_by_label("Start date").fill(_iso(7))
    panel.get_by_label("End date").fill(_iso(60))
    panel.get_by_label("Resource", exact=True).select_option(label="Alex Agent")
    panel.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_have_text(f"Playbook “{PLAYBOOK}” created.")
    expect(playbooks.get_by_test_id("playbook-row")).to_contain_text([PLAYBOOK])

    tasks = page.get_by_test_id("related-tasks")
    tasks.get_by_role("link", name="New Playbook Task").click()
    panel = tasks.get_by_test_id("panel")
    panel.get_by_label("Name", exact=True).fill(TASK)
    panel.get_by_label("Playbook", exact=True).select_option(label=PLAYBOOK)
    panel.get_by_label("Start date").fill(_iso(10))
    panel.get_by_label("End date").fill(_iso(20))
    panel.get_by_label("Resources", exact=True).select_option(label=["Casey Morgan", "Alex Agent"])
    panel.get_by_role("button", name="Save").click()
    expect(page.locator("#messages")).to_have_text(f"Playbook Task “{TASK}” created.")
    task_row = tasks.get_by_test_id("task-row")
    expect(task_row).to_have_count(1)
    expect(task_row).to_contain_text(PLAYBOOK)
    expect(task_row).to_contain_text("Alex Agent, Casey Morgan")
    playbook = Playbook.objects.get(plan=plan, name=PLAYBOOK)
    task = PlaybookTask.objects.get(plan=plan, name=TASK)
    assert task.playbook == playbook
    assert sorted(task.resources.values_list("user__username", flat=True)) == ["agent", "csm"]

    # Success Tracker: the Tailspin Toys group with the plan and its children by name.
    _nav(page, "Success Tracker")
    expect(page.get_by_role("heading", name="Success Tracker", level=1)).to_be_visible()
    page.get_by_label("Accounts", exact=True).select_option(label=ACCOUNT)
    tracker = page.locator(".tracker-sheet")
    group = tracker.locator("summary", has_text=f"Account {ACCOUNT}")
    expect(group).to_be_visible()
    expect(tracker.locator("details.tracker-group")).to_have_count(1)
    for kind, record, label in (
        ("plan", plan, "Success Plan"),
        ("objective", objective, "Objective"),
        ("playbook", playbook, "Playbook"),
        ("task", task, "Playbook Task"),
    ):
        row = tracker.get_by_test_id(f"tracker-{kind}-{record.pk}")
        expect(row.get_by_role("rowheader")).to_contain_text(f"{label} {record.name}")
        expect(row.locator(".tracker-bar-label")).to_contain_text(f"{record.name} · ")
    expect(tracker.get_by_test_id(f"tracker-objective-{objective.pk}")).to_contain_text(
        "1 Completed"
    )
    expect(tracker.get_by_test_id(f"tracker-playbook-{playbook.pk}")).to_contain_text(
        "0/1 tasks done"
    )


def test_an_invalid_grid_cell_saves_nothing(demo, sign_in, page):
    plan = SuccessPlan.objects.get(name=DEMO_PLAN)
    kpis = ObjectiveKPI.objects.filter(objective__plan=plan)
    before = {kpi.pk: (kpi.current, kpi.target) for kpi in kpis}
    history_before = KPIValue.objects.filter(kpi__objective__plan=plan).count()
    sign_in("csm")

    _nav(page, "Success Plans")
    page.get_by_role("link", name=DEMO_PLAN, exact=True).click()
    _tab(page, "Objective KPIs")
    grid = _grid(page)
    # Value cells are text boxes, so what is typed reaches the server as typed.
    grid.get_by_label("Target of Weekly active users").fill("abc")
    grid.get_by_label("Current of Licenses activated").fill("350")
    grid.get_by_role("button", name="Save").click()

    expect(grid.get_by_role("alert")).to_have_text("1 row has errors; nothing was saved.")
    bad_cell = (
        _grid_row(page, "Weekly active users")
        .get_by_role("cell")
        .filter(has=page.get_by_label("Target of Weekly active users"))
    )
    expect(bad_cell).to_contain_text("Enter a number.")
    expect(grid.get_by_text("Enter a number.")).to_have_count(1)
    expect(page.locator("#messages .message")).to_have_count(0)
    # What was typed is kept, so it can be corrected.
    expect(grid.get_by_label("Current of Licenses activated")).to_have_value("350")

    assert {kpi.pk: (kpi.current, kpi.target) for kpi in kpis.all()} == before
    assert KPIValue.objects.filter(kpi__objective__plan=plan).count() == history_before


def test_a_participant_sees_plans_read_only_and_cannot_change_them(demo, sign_in, page):
    plan = SuccessPlan.objects.get(name=DEMO_PLAN)
    kpi = ObjectiveKPI.objects.get(objective__plan=plan, name="Licenses activated")
    plan_before = SuccessPlan.objects.values().get(pk=plan.pk)
    history_before = KPIValue.objects.count()
    sign_in("participant")
    edit_links = re.compile(r"^(New|Edit|Delete)\b")

    # Success Plans: no New, no Delete.
    _nav(page, "Success Plans")
    expect(page.get_by_role("heading", name="Success Plans", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=DEMO_PLAN, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="New", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Delete"))).to_have_count(0)

    # The plan's page: no Edit; the Related tab has no New/Edit/Delete.
    page.get_by_role("link", name=DEMO_PLAN, exact=True).click()
    expect(page.get_by_role("heading", name=DEMO_PLAN, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    _tab(page, "Related")
    objectives = page.get_by_test_id("related-objectives")
    expect(objectives.get_by_role("link", name="Reach broad daily adoption")).to_be_visible()
    expect(page.get_by_test_id("related-tasks").get_by_test_id("task-row")).to_have_count(6)
    expect(page.locator("#related-lists").get_by_role("link", name=edit_links)).to_have_count(0)
    expect(page.locator("#related-lists").get_by_role("button")).to_have_count(0)

    # Objective KPIs: the grid shows the values, with no inputs and no Save.
    _tab(page, "Objective KPIs")
    grid = _grid(page)
    expect(grid.get_by_role("heading", name="Objective KPI Overview")).to_be_visible()
    licenses = grid.get_by_role("row").filter(has_text="Licenses activated")
    expect(licenses).to_contain_text("310")
    expect(licenses.get_by_role("cell").filter(has_text="In Progress")).to_have_count(1)
    expect(grid.locator("input:not([type=hidden]), select, textarea")).to_have_count(0)
    expect(grid.get_by_role("button")).to_have_count(0)

    # Business Challenges: no New.
    _nav(page, "Business Challenges")
    expect(page.get_by_role("heading", name="Business Challenges", level=1)).to_be_visible()
    erp = (
        page.get_by_role("row")
        .filter(has=page.get_by_role("link", name=DEMO_PLAN, exact=True))
        .filter(has_text="ERP integration delayed")
    )
    expect(erp.get_by_role("cell")).to_contain_text(["ERP integration delayed", "Integration"])
    expect(page.get_by_role("link", name="New", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name=edit_links)).to_have_count(0)

    # The server refuses what the pages no longer offer.
    token = _csrf_token(page)
    headers = {"X-CSRFToken": token, "Referer": f"{demo.url}/"}
    edit = page.request.post(
        f"{demo.url}/plans/{plan.pk}/edit/",
        headers=headers,
        form={
            "account": str(plan.account_id),
            "name": "Renamed by a participant",
            "end_date": plan.end_date.isoformat(),
            "status": plan.status,
            "challenges-TOTAL_FORMS": "0",
            "challenges-INITIAL_FORMS": "0",
        },
    )
    assert edit.status == 403
    # The role check refused it, not the CSRF check: the token was good.
    assert "Your role does not allow this page or action." in edit.text()
    grid_post = page.request.post(
        f"{demo.url}/plans/{plan.pk}/kpis/",
        headers=headers,
        form={
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(kpi.pk),
            "form-0-name": kpi.name,
            "form-0-unit": kpi.unit,
            "form-0-baseline": str(kpi.baseline),
            "form-0-current": "999",
            "form-0-target": str(kpi.target),
            "form-0-direction": kpi.direction,
            "form-0-due_date": kpi.due_date.isoformat(),
        },
    )
    assert grid_post.status == 403
    assert "Your role does not allow this page or action." in grid_post.text()

    assert SuccessPlan.objects.values().get(pk=plan.pk) == plan_before
    kpi_after = ObjectiveKPI.objects.get(pk=kpi.pk)
    assert (kpi_after.current, kpi_after.target) == (kpi.current, kpi.target)
    assert KPIValue.objects.count() == history_before
    assert BusinessChallenge.objects.filter(plan=plan).count() == 2
