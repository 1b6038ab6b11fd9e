"""The Success Tracker you can steer (issue 13, item 9): search by name, collapsible groups,
labels that keep clear of today's line, and an objective's, playbook's or task's dates
moved there (dragging and the keys post the same Dates form tested here)."""

from datetime import date

import pytest
from django.urls import reverse

from successplans import timeline
from successplans.models import Objective
from successplans.models import PlaybookTask
from successplans.views.tracker import PLANS_PER_PAGE
from tests.conftest import ROLE_FIXTURES

from .factories import AccountFactory
from .factories import BusinessChallengeFactory
from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookFactory
from .factories import PlaybookTaskFactory
from .factories import SuccessPlanFactory

URL = reverse("successplans:tracker")
WINDOW = {"zoom": "months", "start": "2025-01-01"}
READ_ONLY_ROLES = ["agent", "participant", "manager"]


@pytest.fixture
def plans(db):
    """Northwind's warehouse rollout (a task "Book the trainer") and Contoso's renewal."""
    rollout = SuccessPlanFactory(
        account=AccountFactory(name="Northwind"),
        name="Warehouse rollout",
        effective_date=date(2025, 1, 6),
        end_date=date(2025, 6, 30),
    )
    objective = ObjectiveFactory(
        plan=rollout,
        name="Pickers use scanners",
        start_date=date(2025, 1, 6),
        end_date=date(2025, 3, 30),
    )
    playbook = PlaybookFactory(plan=rollout, name="Train the floor")
    task = PlaybookTaskFactory(
        playbook=playbook,
        name="Book the trainer",
        start_date=date(2025, 2, 3),
        end_date=date(2025, 2, 7),
    )
    renewal = SuccessPlanFactory(
        account=AccountFactory(name="Contoso"),
        name="Renewal 2025",
        effective_date=date(2025, 1, 6),
        end_date=date(2025, 6, 30),
    )
    return {"rollout": rollout, "objective": objective, "task": task, "renewal": renewal}


def shown(response) -> list[str]:
    return [block.plan.name for group in response.context["groups"] for block in group["plans"]]


# -- search by name -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rollout", ["Warehouse rollout"]),  # the plan's name, any case
        ("CONTOSO", ["Renewal 2025"]),  # the account's name
        ("trainer", ["Warehouse rollout"]),  # a playbook task's name
        ("scanners", ["Warehouse rollout"]),  # an objective's name
        ("", ["Renewal 2025", "Warehouse rollout"]),
    ],
)
def test_it_searches_plans_by_name(client_for, plans, text, expected):
    response = client_for("agent").get(URL, {**WINDOW, "q": text})
    assert response.status_code == 200
    assert shown(response) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_a_search_without_matches_says_so(client_for, plans):
    response = client_for("csm").get(URL, {**WINDOW, "q": "zebra"})
    assert shown(response) == []
    assert "No success plans match “zebra”." in response.content.decode()


def test_the_search_and_the_accounts_narrow_together(client_for, plans):
    northwind = plans["rollout"].account
    response = client_for("csm").get(URL, {**WINDOW, "q": "2025", "account": northwind.pk})
    assert shown(response) == []
    response = client_for("csm").get(URL, {**WINDOW, "q": "rollout", "account": northwind.pk})
    assert shown(response) == ["Warehouse rollout"]


def test_links_keep_the_search(client_for, plans):
    response = client_for("csm").get(URL, {**WINDOW, "q": "rollout"})
    assert "q=rollout" in response.context["next_url"]
    assert "q=rollout" in response.context["zooms"][0]["url"]


def test_a_too_long_search_is_said_next_to_the_field(client_for, plans):
    response = client_for("csm").get(URL, {**WINDOW, "q": "x" * 201})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["q"]
    assert shown(response) == ["Renewal 2025", "Warehouse rollout"]


# -- collapsible groups -------------------------------------------------------------------------
def test_accounts_and_plans_records_open_and_close_without_script(client_for, plans):
    html = client_for("agent").get(URL, WINDOW).content.decode()
    account = plans["rollout"].account
    assert (
        f'<details class="tracker-group" open data-testid="tracker-account-{account.pk}">' in html
    )
    assert f'data-testid="tracker-records-{plans["rollout"].pk}"' in html
    assert "Records of Warehouse rollout" in html


# -- labels never cross today's line ------------------------------------------------------------
@pytest.mark.parametrize(
    ("left", "width", "today", "expected"),
    [
        (10, 20, None, "left: 10.00%"),  # no line: from the bar's start
        (60, 20, None, "right: 20.00%"),  # right half: back from the bar's end
        (40, 20, 30, "left: 40.00%"),  # after the line: from the bar's start
        (40, 20, 70, "right: 40.00%"),  # before the line: back from the bar's end
        (5, 10, 70, "left: 70.00%"),  # before the line, no room: after the line
        (20, 40, 30, "left: 30.00%"),  # across the line, left half: from the line on
        (40, 40, 60, "right: 40.00%"),  # across the line, right half: back from it
    ],
)
def test_a_label_grows_away_from_todays_line(left, width, today, expected):
    bar = timeline.Bar(left=left, width=width, clipped_start=False, clipped_end=False)
    assert timeline.label_style(bar, today) == expected


# -- moving dates: who may ------------------------------------------------------------------------
def dates_url(kind: str, record) -> str:
    return reverse("successplans:tracker-dates", args=[kind, record.pk])


def test_only_customer_success_is_offered_to_move_dates(client_for, plans):
    task_url = dates_url("task", plans["task"])
    csm = client_for("csm").get(URL, WINDOW).content.decode()
    assert f'data-move-url="{task_url}"' in csm
    assert "Change dates: drag a bar" in csm
    for who in READ_ONLY_ROLES:
        html = client_for(who).get(URL, WINDOW).content.decode()
        assert task_url not in html
        assert "tracker-drag" not in html


@pytest.mark.parametrize("who", READ_ONLY_ROLES)
@pytest.mark.parametrize("kind", ["objective", "task"])
def test_read_only_roles_cannot_move_dates(client_for, plans, who, kind):
    record = plans["objective" if kind == "objective" else "task"]
    before = (record.start_date, record.end_date)
    client = client_for(who)
    assert client.get(dates_url(kind, record)).status_code == 403
    response = client.post(
        dates_url(kind, record), {"start_date": "2025-02-10", "end_date": "2025-02-14"}
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert (record.start_date, record.end_date) == before


def test_an_unknown_kind_or_record_is_404(client_for, plans):
    client = client_for("csm")
    assert client.get(dates_url("kpi", plans["task"])).status_code == 404
    assert (
        client.get(reverse("successplans:tracker-dates", args=["task", 999999])).status_code == 404
    )


# -- moving dates: what happens -------------------------------------------------------------------
def test_the_form_shows_the_dates_and_the_plans(client_for, plans):
    response = client_for("csm").get(dates_url("task", plans["task"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="2025-02-03"' in html and 'value="2025-02-07"' in html
    assert "The plan runs Jan 6, 2025 \N{EN DASH} Jun 30, 2025" in html


@pytest.mark.parametrize("kind", ["objective", "task"])
def test_it_moves_the_dates_and_returns_to_the_tracker(client_for, plans, kind):
    record = plans[kind]
    back = f"{URL}?zoom=months&start=2025-01-01"
    response = client_for("csm").post(
        dates_url(kind, record),
        {"start_date": "2025-02-10", "end_date": "2025-03-14", "next": back},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == back
    record.refresh_from_db()
    assert (record.start_date, record.end_date) == (date(2025, 2, 10), date(2025, 3, 14))
    label = "Objective" if kind == "objective" else "Playbook Task"
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"{label} “{record.name}” now runs Feb 10, 2025 \N{EN DASH} Mar 14, 2025."]


def test_moving_a_task_keeps_everything_else(client_for, plans):
    task = plans["task"]
    resources = list(task.resources.all())
    client_for("csm").post(
        dates_url("task", task), {"start_date": "2025-02-04", "end_date": "2025-02-08"}
    )
    task.refresh_from_db()
    assert (task.name, task.playbook, task.status) == (
        "Book the trainer",
        plans["task"].playbook,
        plans["task"].status,
    )
    assert list(task.resources.all()) == resources


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2025-02-10", "2025-02-01", "end_date", "The end date cannot be before the start date."),
        ("2025-02-30", "2025-03-01", "start_date", "Enter a real date (YYYY-MM-DD)."),
        ("2025-02-10", "", "end_date", "Enter the end date."),
        (
            "2024-12-30",
            "2025-02-01",
            "start_date",
            "The start date cannot be before the plan starts (Jan 6, 2025).",
        ),
        (
            "2025-06-01",
            "2025-07-01",
            "end_date",
            "The end date cannot be after the plan ends (Jun 30, 2025).",
        ),
        ("2025-02-10", "3025-01-01", "end_date", None),  # outside the date range
    ],
)
def test_bad_dates_are_said_next_to_the_field_and_change_nothing(
    client_for, plans, start, end, field, message
):
    task = plans["task"]
    response = client_for("csm").post(
        dates_url("task", task), {"start_date": start, "end_date": end, "next": URL}
    )
    assert response.status_code == 200  # the form again, not the tracker
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
        assert message in response.content.decode()
    task.refresh_from_db()
    assert (task.start_date, task.end_date) == (date(2025, 2, 3), date(2025, 2, 7))
    assert PlaybookTask.objects.get(pk=task.pk).end_date == date(2025, 2, 7)


def test_an_objective_of_an_open_ended_plan_may_end_any_time(client_for, plans):
    objective = plans["objective"]
    plan = objective.plan
    plan.end_date = None
    plan.save()
    client_for("csm").post(
        dates_url("objective", objective), {"start_date": "2025-02-10", "end_date": "2027-01-01"}
    )
    assert Objective.objects.get(pk=objective.pk).end_date == date(2027, 1, 1)


# -- a fixed number of queries, 3 or 200 plans ---------------------------------------------------
def _plans(count: int) -> list:
    accounts = AccountFactory.create_batch(4)
    made = []
    for n in range(count):
        plan = SuccessPlanFactory(account=accounts[n % 4], name=f"Plan {n:03}")
        if n < 12:  # the first pages have children of every kind
            objective = ObjectiveFactory(plan=plan)
            ObjectiveKPIFactory(objective=objective)
            playbook = PlaybookFactory(plan=plan)
            PlaybookTaskFactory(playbook=playbook, resources=[plan.owner])
            BusinessChallengeFactory(plan=plan)
        made.append(plan)
    return made


@pytest.mark.parametrize("count", [3, 200])
@pytest.mark.parametrize("query", [{}, {"q": "plan"}])
def test_the_tracker_costs_the_same_with_3_or_200_plans(
    client_for, django_assert_max_num_queries, count, query
):
    _plans(count)
    client = client_for("csm")
    client.get(URL)  # warm the session
    # session, user (with permissions and role names), the account field's first matches, the
    # accounts' plan counts, the page of plans, its objectives, KPIs, playbooks, tasks, task
    # resources, challenges
    with django_assert_max_num_queries(14):
        response = client.get(URL, query)
    assert response.status_code == 200
    assert len(shown(response)) == min(count, PLANS_PER_PAGE)
    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_may_search(client_for, plans, who):
    assert client_for(who).get(URL, {**WINDOW, "q": "rollout"}).status_code == 200
