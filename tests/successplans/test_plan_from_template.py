"""Create Success Plan from a template: /plans/templates/<id>/create/.

Step 1 the new plan's details; step 2 the Select Records grid (objectives with
their KPIs, playbooks with their tasks, tasks without a playbook), every row
selected and editable; Create makes the plan and the selected records, all or
nothing. Who may, bad input, a template gone or empty and the query budgets:
test_plan_from_template_edges.py; the template and the helpers: template_flow.py.
"""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import DomainError
from successplans import services
from successplans.models import ObjectiveKPI
from successplans.models import Status
from successplans.models import SuccessPlan

from .template_flow import OT
from .template_flow import RESOURCE_ERROR
from .template_flow import counts
from .template_flow import details
from .template_flow import grid_data
from .template_flow import make_world
from .template_flow import open_grid


@pytest.fixture
def world(db):
    return make_world()


# -- step 1: the new plan's details --------------------------------------------------------------
def test_an_unknown_account_is_not_prefilled(client_for, world):
    response = client_for("csm").get(world.url, {"account": "999999"})
    assert response.context["details"]["account"].value() is None


def test_the_details_are_checked_before_the_grid(client_for, world):
    before = counts()
    response = client_for("csm").post(
        world.url, details(world, account="", effective_date="soon", owner=world.psa.pk)
    )
    assert response.status_code == 200
    assert response.context["step"] == "details"
    assert "A success plan needs an account." in response.text
    assert "Enter a valid date." in response.text
    assert RESOURCE_ERROR in response.text
    assert 'id="select-records"' not in response.text
    assert counts() == before


# -- step 2: the Select Records grid -------------------------------------------------------------
def test_next_shows_the_tree_all_selected_with_dates_moved(client_for, world):
    response = open_grid(client_for("csm"), world)
    grid = response.context["grid"]
    assert [row.form.source.name for row in grid.objectives] == ["Go live", "Adoption"]
    assert [[k.initial["name"] for k in row.kpis.initial_forms] for row in grid.objectives] == [
        ["Active users", "Open tickets"],
        ["Logins per week"],
    ]
    assert [
        (row.form.source.name, [t.form.source.name for t in row.tasks]) for row in grid.playbooks
    ] == [("Kickoff", ["Schedule kickoff", "Send agenda"])]
    assert [t.form.source.name for t in grid.loose_tasks] == ["Welcome email"]
    assert all(form.is_selected for form in grid.row_forms())
    # Offsets from the template's effective date (Jan 1, 2025), moved to Mar 2, 2026.
    golive = grid.objectives[0].form
    assert (golive["start_date"].value(), golive["end_date"].value()) == (
        date(2026, 3, 2),
        date(2026, 4, 30),
    )
    assert grid.objectives[0].kpis.forms[0]["due_date"].value() == date(2026, 5, 1)
    agenda = grid.playbooks[0].tasks[1].form
    assert (agenda["start_date"].value(), agenda["end_date"].value()) == (
        date(2026, 3, 3),
        date(2026, 3, 5),
    )
    assert golive["resource"].value() == world.ada.pk
    assert grid.playbooks[0].tasks[0].form["resources"].value() == [world.ada.pk, world.grace.pk]
    text = response.text
    assert "Select Records" in text
    assert 'name="grid" value="1"' in text
    assert f'name="t{world.agenda.pk}-selected"' in text
    assert 'aria-label="Select playbook Kickoff"' in text
    assert f'name="o{world.golive.pk}-kpis-TOTAL_FORMS" value="3"' in text  # two and a blank
    assert "Pat Services" not in text  # a PSA resource is never offered
    assert "Linus T" in text


def test_it_creates_the_plan_with_the_selected_and_edited_records(client_for, csm, world):
    client = client_for("csm")
    data = grid_data(open_grid(client, world))
    # Deselect the Kickoff playbook but keep its "Schedule kickoff" task; drop "Send agenda".
    del data[f"p{world.kickoff.pk}-selected"]
    del data[f"t{world.agenda.pk}-selected"]
    # Another resource on "Go live"; delete its "Open tickets" KPI and add "NPS".
    data[f"o{world.golive.pk}-resource"] = str(world.linus.pk)
    kpis = f"o{world.golive.pk}-kpis"
    data[f"{kpis}-1-DELETE"] = "on"
    data.update(
        {
            f"{kpis}-2-name": "NPS",
            f"{kpis}-2-unit": "points",
            f"{kpis}-2-target": "50",
            f"{kpis}-2-due_date": "2026-06-01",
        }
    )
    data["create"] = "1"

    response = client.post(world.url, data)

    plan = SuccessPlan.objects.get(is_template=False)
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    # The plan: typed details, the template's information, statuses reset.
    assert plan.name == "Northwind onboarding"
    assert plan.account == world.account
    assert plan.owner == world.grace
    assert plan.effective_date == date(2026, 3, 2)
    assert plan.end_date == date(2026, 5, 30)  # the template's 89 days
    assert plan.description == "Live in 90 days."
    assert plan.record_type == world.types[OT.SUCCESS_PLAN]
    assert plan.status == Status.NOT_STARTED
    assert plan.is_template is False

    objectives = {o.name: o for o in plan.objectives.all()}
    assert set(objectives) == {"Go live", "Adoption"}
    golive = objectives["Go live"]
    assert golive.resource == world.linus
    assert (golive.start_date, golive.end_date) == (date(2026, 3, 2), date(2026, 4, 30))
    assert (golive.start_offset, golive.end_offset) == (0, 59)
    assert golive.status == Status.NOT_STARTED
    assert golive.description == "In production."
    assert golive.record_type == world.types[OT.OBJECTIVE]
    assert golive.account == world.account
    adoption = objectives["Adoption"]
    assert (adoption.start_date, adoption.end_date) == (date(2026, 4, 1), date(2026, 5, 30))
    assert adoption.resource is None

    kpis = {k.name: k for k in ObjectiveKPI.objects.filter(objective__plan=plan)}
    assert set(kpis) == {"Active users", "NPS", "Logins per week"}
    assert kpis["Active users"].objective == golive
    assert kpis["Active users"].due_date == date(2026, 5, 1)
    assert kpis["Active users"].current == Decimal("10")
    assert kpis["NPS"].objective == golive
    assert (kpis["NPS"].unit, kpis["NPS"].target) == ("points", Decimal("50"))
    assert kpis["NPS"].due_date == date(2026, 6, 1)
    assert kpis["Logins per week"].objective == adoption
    assert kpis["Logins per week"].due_date == date(2026, 5, 30)

    assert not plan.playbooks.exists()
    tasks = {t.name: t for t in plan.playbook_tasks.all()}
    assert set(tasks) == {"Schedule kickoff", "Welcome email"}
    schedule = tasks["Schedule kickoff"]
    assert schedule.playbook is None  # kept without its playbook: directly under the plan
    assert schedule.plan == plan
    assert schedule.account == world.account
    assert (schedule.start_date, schedule.end_date) == (date(2026, 3, 2), date(2026, 3, 4))
    assert schedule.status == Status.NOT_STARTED
    assert schedule.description == "Find a date."
    assert schedule.record_type == world.types[OT.PLAYBOOK_TASK]
    assert set(schedule.resources.all()) == {world.ada, world.grace}
    welcome = tasks["Welcome email"]
    assert (welcome.start_date, welcome.end_date) == (date(2026, 3, 7), date(2026, 3, 7))
    assert list(welcome.resources.all()) == [world.grace]

    # The template is untouched.
    assert world.template.objectives.count() == 2
    assert ObjectiveKPI.objects.filter(objective__plan=world.template).count() == 3
    assert world.template.playbook_tasks.count() == 3


def test_a_playbook_kept_keeps_its_tasks_under_it(client_for, world):
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world)), "create": "1"}
    data[f"p{world.kickoff.pk}-name"] = "Kickoff meeting"
    data[f"p{world.kickoff.pk}-resource"] = ""
    data[f"t{world.agenda.pk}-resources"] = [str(world.linus.pk), str(world.grace.pk)]
    assert client.post(world.url, data).status_code == 302
    plan = SuccessPlan.objects.get(is_template=False)
    playbook = plan.playbooks.get()
    assert playbook.name == "Kickoff meeting"
    assert playbook.resource is None
    assert playbook.status == Status.NOT_STARTED
    assert playbook.description == "Meet the team."
    assert playbook.record_type == world.types[OT.PLAYBOOK]
    assert (playbook.start_date, playbook.end_date) == (date(2026, 3, 2), date(2026, 3, 16))
    assert {t.name for t in playbook.tasks.all()} == {"Schedule kickoff", "Send agenda"}
    agenda = playbook.tasks.get(name="Send agenda")
    assert set(agenda.resources.all()) == {world.linus, world.grace}
    assert plan.playbook_tasks.get(name="Welcome email").playbook is None


def test_an_objective_may_be_kept_without_its_kpis(client_for, world):
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world)), "create": "1"}
    data[f"o{world.golive.pk}-kpis-0-DELETE"] = "on"
    data[f"o{world.golive.pk}-kpis-1-DELETE"] = "on"
    assert client.post(world.url, data).status_code == 302
    plan = SuccessPlan.objects.get(is_template=False)
    assert not ObjectiveKPI.objects.filter(objective__plan=plan, objective__name="Go live")
    assert plan.objectives.filter(name="Go live").exists()


def test_the_kpis_of_a_deselected_objective_are_not_created(client_for, world):
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world)), "create": "1"}
    del data[f"o{world.adoption.pk}-selected"]
    # Not validated either: what is typed under a deselected objective blocks nothing.
    data[f"o{world.adoption.pk}-kpis-0-current"] = "abc"
    data[f"o{world.adoption.pk}-end_date"] = "2020-01-01"
    assert client.post(world.url, data).status_code == 302
    plan = SuccessPlan.objects.get(is_template=False)
    assert [o.name for o in plan.objectives.all()] == ["Go live"]
    assert not ObjectiveKPI.objects.filter(objective__plan=plan, name="Logins per week")


def test_a_deselected_row_is_not_validated(client_for, world):
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world)), "create": "1"}
    del data[f"t{world.agenda.pk}-selected"]
    data[f"t{world.agenda.pk}-end_date"] = "2020-01-01"
    data[f"t{world.agenda.pk}-resources"] = [str(world.psa.pk)]
    assert client.post(world.url, data).status_code == 302
    plan = SuccessPlan.objects.get(is_template=False)
    assert not plan.playbook_tasks.filter(name="Send agenda").exists()


def test_it_returns_to_a_safe_next_path(client_for, world):
    client = client_for("csm")
    url = f"{world.url}?next=/tracker/&account={world.account.pk}"
    response = client.post(url, details(world))
    data = {**grid_data(response), "create": "1"}
    assert 'name="next" value="/tracker/"' in response.text
    created = client.post(url, data)
    assert created.status_code == 302
    assert created.url == "/tracker/"
    assert SuccessPlan.objects.filter(is_template=False).count() == 1


def test_back_returns_to_the_details_with_what_was_typed(client_for, world):
    client = client_for("csm")
    data = {**grid_data(open_grid(client, world, name="Typed name")), "back": "1"}
    response = client.post(world.url, data)
    assert response.context["step"] == "details"
    assert response.context["details"]["name"].value() == "Typed name"
    assert SuccessPlan.objects.filter(is_template=False).count() == 0


def test_add_kpi_without_javascript_adds_a_blank_row(client_for, world):
    client = client_for("csm")
    prefix = f"o{world.golive.pk}-kpis"
    data = {**grid_data(open_grid(client, world)), "add_kpi": prefix}
    data[f"{prefix}-2-name"] = "NPS"
    data[f"o{world.golive.pk}-end_date"] = "2020-01-01"  # not greeted with errors yet
    response = client.post(world.url, data)
    assert response.status_code == 200
    assert f'name="{prefix}-TOTAL_FORMS" value="4"' in response.text
    assert f'name="{prefix}-3-name"' in response.text
    assert 'value="NPS"' in response.text
    assert 'class="field-error"' not in response.text
    assert SuccessPlan.objects.filter(is_template=False).count() == 0


# -- Back and Next; the new plan's name -----------------------------------------------------------
def test_back_and_next_keep_the_selections_and_edits_of_the_grid(client_for, world):
    client = client_for("csm")
    data = grid_data(open_grid(client, world))
    # Untick the Kickoff playbook, rename "Go live", another resource, a new KPI row.
    del data[f"p{world.kickoff.pk}-selected"]
    data[f"o{world.golive.pk}-name"] = "Go live in production"
    data[f"o{world.golive.pk}-resource"] = str(world.linus.pk)
    data[f"o{world.golive.pk}-kpis-2-name"] = "NPS"
    data[f"t{world.schedule.pk}-resources"] = [str(world.grace.pk)]
    back = client.post(world.url, {**data, "back": "1"})
    assert back.context["step"] == "details"
    assert 'name="kept" value="1"' in back.text

    # Next again: the page posts the details and the kept grid fields it carries hidden.
    again = {name: value for name, value in back.context["kept"]}
    again[f"t{world.schedule.pk}-resources"] = [str(world.grace.pk)]
    response = client.post(world.url, {**details(world), **again})
    assert response.context["step"] == "records"
    grid = response.context["grid"]
    golive = grid.objectives[0]
    assert golive.form["name"].value() == "Go live in production"
    assert golive.form["resource"].value() == str(world.linus.pk)
    assert golive.kpis.forms[2]["name"].value() == "NPS"
    assert not grid.playbooks[0].form.is_selected
    assert grid.playbooks[0].tasks[0].form.is_selected
    assert grid.playbooks[0].tasks[0].form["resources"].value() == [str(world.grace.pk)]
    assert 'class="field-error"' not in response.text  # shown again, not judged yet

    # Creating from the kept grid creates what was kept.
    created = client.post(world.url, {**grid_data(response), "create": "1"})
    assert created.status_code == 302
    plan = SuccessPlan.objects.get(is_template=False)
    assert sorted(plan.objectives.values_list("name", flat=True)) == [
        "Adoption",
        "Go live in production",
    ]
    assert not plan.playbooks.exists()
    assert "NPS" in ObjectiveKPI.objects.filter(objective__plan=plan).values_list("name", flat=True)


def test_kept_dates_move_with_a_new_effective_date(client_for, world):
    client = client_for("csm")
    data = grid_data(open_grid(client, world))  # effective Mar 2, 2026
    data[f"o{world.golive.pk}-end_date"] = "2026-05-10"  # changed by hand
    back = client.post(world.url, {**data, "back": "1"})
    again = dict(back.context["kept"])
    response = client.post(world.url, {**details(world, effective_date="2026-03-09"), **again})
    golive = response.context["grid"].objectives[0].form
    assert golive["start_date"].value() == "2026-03-09"
    assert golive["end_date"].value() == "2026-05-17"


def test_without_an_account_the_name_is_left_to_the_user(client_for, world):
    response = client_for("csm").get(world.url)
    assert response.context["details"]["name"].value() == ""


def test_the_plan_cannot_take_the_template_s_name(client_for, world):
    before = counts()
    response = client_for("csm").post(world.url, details(world, name=" onboarding — 90 DAYS"))
    assert response.context["step"] == "details"
    assert "Give the new plan its own name: “Onboarding — 90 days” is the template&#x27;s." in (
        response.text
    )
    assert counts() == before


def test_the_service_refuses_the_template_s_name_too(world, csm):
    with pytest.raises(DomainError, match="its own name"):
        services.plan_create_from_template(
            template_pk=world.template.pk,
            user=csm,
            account=world.account,
            name="Onboarding — 90 days",
            effective_date=date(2026, 3, 2),
            owner=None,
            objectives=[],
            playbooks=[],
            tasks=[],
        )
    assert not SuccessPlan.objects.filter(is_template=False).exists()


def test_the_template_header_does_not_leave_the_flow(client_for, world):
    response = client_for("csm").get(world.url)
    assert f'href="{world.template.get_absolute_url()}"' not in response.text
