"""Success plan templates, driven through the real pages in Chromium.

A Customer Success user starts Create Success Plan from an account page,
chooses "From a template", switches the template picker between Cards and
Lists (the choice is remembered on the next visit), picks "Onboarding — 90
days", and in the Select Records grid deselects a playbook while keeping one of
its tasks, gives an objective another resource, deletes one KPI and adds
another, then creates the plan. The records and their dates (the template's
offsets from the new effective date) are checked in the database; then the
plan's effective date changes and every child moves with it, a date changed by
hand included.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import Page
from playwright.sync_api import expect

from engagements.models import Account
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import Status
from successplans.models import SuccessPlan
from successplans.models import TemplatePickerPreference

ACCOUNT = "Tailspin Toys"
TEMPLATE = "Onboarding — 90 days"
OTHER_TEMPLATE = "Renewal readiness"
LIVE_PLANS = ["Northwind platform success plan", "Wide World renewal readiness"]
PLAN = "Tailspin onboarding plan"
EFFECTIVE = date(2026, 3, 1)
SHIFT = 14

# The template's records the test changes in the grid.
DROPPED_PLAYBOOK = "User enablement"
KEPT_TASK = "Train the administrators"  # a task of DROPPED_PLAYBOOK, kept without it
DROPPED_TASKS = ["Run end-user training waves", "Pick champions per team"]
EDITED_OBJECTIVE = "Drive first-month adoption"
NEW_RESOURCE = "Sam Rivera"  # agent2; the template has Alex Agent on this objective
DELETED_KPI = "Support tickets per week"
ADDED_KPI = "Feature adoption score"
ADDED_KPI_DUE = EFFECTIVE + timedelta(days=50)


def _nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name=name, exact=True
    ).click()


def _open_picker_from_account(page: Page) -> None:
    """Accounts → Tailspin Toys → Create Success Plan → From a template."""
    _nav(page, "Accounts")
    page.get_by_role("link", name=ACCOUNT, exact=True).click()
    expect(page.get_by_role("heading", name=ACCOUNT, level=1)).to_be_visible()
    page.get_by_role("link", name="Create Success Plan").click()
    expect(page.get_by_role("heading", name="Create Success Plan", level=1)).to_be_visible()
    expect(page.get_by_text(f"The Account field is filled in with {ACCOUNT}.")).to_be_visible()
    page.get_by_role("link", name="From a template").click()
    expect(page.get_by_role("heading", name="Select a template", level=1)).to_be_visible()


def _expect_view(page: Page, view: str) -> None:
    """The picker shows ``view`` ("Cards" or "Lists"), pressed in the View group."""
    other = "Lists" if view == "Cards" else "Cards"
    group = page.get_by_role("group", name="View")
    expect(group.get_by_role("button", name=view, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(group.get_by_role("button", name=other, exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    cards = page.get_by_role("list", name="Templates (Cards view)")
    lists = page.get_by_role("table", name="Templates (Lists view)")
    shown, hidden = (cards, lists) if view == "Cards" else (lists, cards)
    expect(shown).to_be_visible()
    expect(hidden).to_have_count(0)


def _expect_only_templates(page: Page) -> None:
    picker = page.locator("#template-picker")
    select = picker.get_by_role("link", name=re.compile(r"^Select "))
    expect(select).to_have_count(SuccessPlan.objects.filter(is_template=True).count())
    for name in (TEMPLATE, OTHER_TEMPLATE):
        expect(picker.get_by_role("link", name=f"Select {name}", exact=True)).to_be_visible()
    for name in LIVE_PLANS:
        expect(picker.get_by_text(name)).to_have_count(0)


def _offset_date(template: SuccessPlan, day: date | None, effective: date) -> date | None:
    """A template date moved to a plan: same distance from ``effective``."""
    return None if day is None else effective + (day - template.effective_date)


def test_csm_creates_a_plan_from_a_template_and_shifts_its_effective_date(demo, sign_in, page):
    template = SuccessPlan.objects.get(name=TEMPLATE, is_template=True)
    account = Account.objects.get(name=ACCOUNT)
    csm = get_user_model().objects.get(username="csm")
    t_objectives = {o.name: o for o in Objective.objects.filter(plan=template)}
    t_playbooks = {p.name: p for p in Playbook.objects.filter(plan=template)}
    t_tasks = {t.name: t for t in PlaybookTask.objects.filter(plan=template)}
    t_kpis = {k.name: k for k in ObjectiveKPI.objects.filter(objective__plan=template)}
    assert t_tasks[KEPT_TASK].playbook == t_playbooks[DROPPED_PLAYBOOK]
    assert t_kpis[DELETED_KPI].objective.name == EDITED_OBJECTIVE
    plans_before = SuccessPlan.objects.count()
    sign_in("csm")

    # The picker: only the templates, in Cards (the default) view.
    _open_picker_from_account(page)
    assert f"account={account.pk}" in page.url
    picker_url = page.url
    _expect_view(page, "Cards")
    _expect_only_templates(page)

    # Lists, then a new visit: Lists is remembered.
    page.get_by_role("group", name="View").get_by_role("button", name="Lists").click()
    _expect_view(page, "Lists")
    _expect_only_templates(page)
    assert TemplatePickerPreference.objects.get(user=csm).view == "lists"
    page.goto(picker_url)
    _expect_view(page, "Lists")
    # Reload re-reads the templates in place, in the same view.
    page.locator("#template-picker").get_by_role("link", name="Reload").click()
    n_templates = SuccessPlan.objects.filter(is_template=True).count()
    expect(page.locator("#template-picker").get_by_role("status")).to_contain_text(
        f"{n_templates} templates"
    )
    _expect_view(page, "Lists")

    # Cards again, then the next visit from the account page: Cards is remembered.
    page.get_by_role("group", name="View").get_by_role("button", name="Cards").click()
    _expect_view(page, "Cards")
    assert TemplatePickerPreference.objects.get(user=csm).view == "cards"
    _open_picker_from_account(page)
    _expect_view(page, "Cards")

    # The new plan's details: the Account is pre-filled with the account.
    page.get_by_role("link", name=f"Select {TEMPLATE}", exact=True).click()
    expect(
        page.get_by_role("heading", name="Create Success Plan from a template", level=1)
    ).to_be_visible()
    expect(page.get_by_label("Account", exact=True).locator("option:checked")).to_have_text(ACCOUNT)
    page.get_by_label("Name", exact=True).fill(PLAN)
    page.get_by_label("Effective date", exact=True).fill(EFFECTIVE.isoformat())
    page.get_by_role("button", name="Next").click()

    # The Select Records grid: the tree, every record selected, dates moved to EFFECTIVE.
    grid = page.locator("#select-records")
    expect(grid.get_by_role("heading", name="Select Records")).to_be_visible()
    selects = grid.get_by_role("checkbox", name=re.compile(r"^Select "))
    expect(selects).to_have_count(len(t_objectives) + len(t_playbooks) + len(t_tasks))
    for box in selects.all():
        expect(box).to_be_checked()
    for name, objective in t_objectives.items():
        expect(grid.get_by_label(f"Start date of objective {name}", exact=True)).to_have_value(
            _offset_date(template, objective.start_date, EFFECTIVE).isoformat()
        )
    edited = t_objectives[EDITED_OBJECTIVE]
    assert edited.start_date - template.effective_date == timedelta(days=15)
    expect(
        grid.get_by_label(f"Start date of objective {EDITED_OBJECTIVE}", exact=True)
    ).to_have_value("2026-03-16")
    expect(
        grid.get_by_label(f"Due date of KPI {DELETED_KPI} (objective {EDITED_OBJECTIVE})")
    ).to_have_value(_offset_date(template, t_kpis[DELETED_KPI].due_date, EFFECTIVE).isoformat())
    # The tree: each playbook's tasks come right after it, indented.
    expect(grid.locator("tr.record-row.level-1")).to_have_count(
        sum(1 for t in t_tasks.values() if t.playbook_id)
    )

    # Deselect a playbook but keep one of its tasks (the others go with it).
    grid.get_by_label(f"Select playbook {DROPPED_PLAYBOOK}", exact=True).uncheck()
    for name in DROPPED_TASKS:
        grid.get_by_label(f"Select playbook task {name}", exact=True).uncheck()
    expect(grid.get_by_label(f"Select playbook task {KEPT_TASK}", exact=True)).to_be_checked()

    # Another resource on an objective: only active, non-PSA resources are offered.
    resource = grid.get_by_label(f"Resource of objective {EDITED_OBJECTIVE}", exact=True)
    expect(resource.locator("option:checked")).to_have_text("Alex Agent")
    expect(resource.locator("option", has_text="Priya Nair")).to_have_count(0)  # PSA
    expect(resource.locator("option", has_text="Jordan Blake")).to_have_count(0)  # inactive
    resource.select_option(label=NEW_RESOURCE)

    # Delete one KPI of that objective and add another in its blank row.
    grid.get_by_label(
        f"Delete KPI {DELETED_KPI} (objective {EDITED_OBJECTIVE})", exact=True
    ).check()
    new_kpi = f"new KPI (objective {EDITED_OBJECTIVE})"
    grid.get_by_label(f"Name of {new_kpi}", exact=True).fill(ADDED_KPI)
    grid.get_by_label(f"Unit of {new_kpi}", exact=True).fill("points")
    grid.get_by_label(f"Baseline of {new_kpi}", exact=True).fill("10")
    grid.get_by_label(f"Target of {new_kpi}", exact=True).fill("70")
    grid.get_by_label(f"Due date of {new_kpi}", exact=True).fill(ADDED_KPI_DUE.isoformat())
    # (The grid's hidden default button, for Enter in a cell, is aria-hidden.)
    page.get_by_role("button", name="Create", exact=True).click()

    # The new plan's page.
    expect(page.get_by_role("heading", name=PLAN, level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        f"Success plan “{PLAN}” created from “{TEMPLATE}”."
    )
    assert SuccessPlan.objects.count() == plans_before + 1
    plan = SuccessPlan.objects.get(name=PLAN, is_template=False)
    assert plan.account == account
    assert plan.effective_date == EFFECTIVE
    assert plan.end_date == _offset_date(template, template.end_date, EFFECTIVE)
    assert plan.description == template.description
    assert plan.record_type == template.record_type
    assert plan.status == Status.NOT_STARTED

    # Objectives: all three, at the template's offsets, one with its new resource.
    objectives = {o.name: o for o in Objective.objects.filter(plan=plan)}
    assert set(objectives) == set(t_objectives)
    for name, objective in objectives.items():
        source = t_objectives[name]
        assert objective.status == Status.NOT_STARTED
        assert objective.start_date == _offset_date(template, source.start_date, EFFECTIVE)
        assert objective.end_date == _offset_date(template, source.end_date, EFFECTIVE)
        expected = "agent2" if name == EDITED_OBJECTIVE else source.resource.user.username
        assert objective.resource.user.username == expected

    # KPIs: the deleted one is absent, the added one present, due dates at the offsets.
    kpis = {k.name: k for k in ObjectiveKPI.objects.filter(objective__plan=plan)}
    assert set(kpis) == (set(t_kpis) - {DELETED_KPI}) | {ADDED_KPI}
    for name, kpi in kpis.items():
        if name == ADDED_KPI:
            continue
        source = t_kpis[name]
        assert kpi.objective == objectives[source.objective.name]
        assert kpi.due_date == _offset_date(template, source.due_date, EFFECTIVE)
        assert (kpi.baseline, kpi.target) == (source.baseline, source.target)
    added = kpis[ADDED_KPI]
    assert added.objective == objectives[EDITED_OBJECTIVE]
    assert (added.unit, added.baseline, added.target) == ("points", Decimal(10), Decimal(70))
    assert added.due_date == ADDED_KPI_DUE

    # Playbooks and tasks: the deselected playbook and its deselected tasks are absent;
    # the kept task belongs to the plan directly.
    playbooks = {p.name: p for p in Playbook.objects.filter(plan=plan)}
    assert set(playbooks) == set(t_playbooks) - {DROPPED_PLAYBOOK}
    tasks = {t.name: t for t in PlaybookTask.objects.filter(plan=plan)}
    assert set(tasks) == set(t_tasks) - set(DROPPED_TASKS)
    kept = tasks[KEPT_TASK]
    assert kept.playbook is None
    assert kept.plan == plan
    assert sorted(kept.resources.values_list("user__username", flat=True)) == ["agent", "csm"]
    for name, task in tasks.items():
        source = t_tasks[name]
        if name != KEPT_TASK:
            expected = playbooks[source.playbook.name] if source.playbook else None
            assert task.playbook == expected
    for name, record in [*playbooks.items(), *tasks.items()]:
        source = t_playbooks.get(name) or t_tasks[name]
        assert record.status == Status.NOT_STARTED
        assert record.start_date == _offset_date(template, source.start_date, EFFECTIVE)
        assert record.end_date == _offset_date(template, source.end_date, EFFECTIVE)

    # A date changed by hand on a child since creation (its offset stays).
    hand_edited = tasks["90-day business review"]
    PlaybookTask.objects.filter(pk=hand_edited.pk).update(
        end_date=hand_edited.end_date + timedelta(days=3)
    )
    children = [*objectives.values(), *playbooks.values(), *tasks.values()]
    dates_before = {(type(c), c.pk): (c.start_date, c.end_date) for c in children}
    due_before = {k.pk: k.due_date for k in kpis.values()}
    moving = len(children) + len(kpis)

    # Change effective date: the preview counts what moves and warns about hand edits.
    new_date = EFFECTIVE + timedelta(days=SHIFT)
    page.get_by_role("link", name="Change effective date").first.click()
    expect(page.get_by_role("heading", name="Change effective date", level=1)).to_be_visible()
    page.get_by_label("New effective date").fill(new_date.isoformat())
    page.get_by_role("button", name="Preview the change").click()
    preview = page.get_by_test_id("effective-date-preview")
    expect(preview).to_contain_text(f"{moving} child records will move by {SHIFT} days.")
    expect(preview).to_contain_text(
        "Dates changed by hand on 1 of them will be lost and set from the new effective date."
    )
    expect(preview).to_contain_text("dates changed by hand on child records are overwritten")
    assert SuccessPlan.objects.get(pk=plan.pk).effective_date == EFFECTIVE  # nothing yet
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name=PLAN, level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        f"Effective date changed to Mar 15, 2026: {moving} child records moved by {SHIFT} days."
    )
    plan.refresh_from_db()
    assert plan.effective_date == new_date
    assert plan.end_date == _offset_date(template, template.end_date, new_date)
    shift = timedelta(days=SHIFT)
    for model in (Objective, Playbook, PlaybookTask):
        for record in model.objects.filter(plan=plan):
            start, end = dates_before[(model, record.pk)]
            # Every child moved by SHIFT days from its creation dates: the hand edit is lost.
            assert (record.start_date, record.end_date) == (start + shift, end + shift), record
    for kpi in ObjectiveKPI.objects.filter(objective__plan=plan):
        assert kpi.due_date == due_before[kpi.pk] + shift, kpi
    assert PlaybookTask.objects.get(pk=hand_edited.pk).end_date == _offset_date(
        template, t_tasks["90-day business review"].end_date, new_date
    )
