"""My Work by role: each role's panels, what fills them, what an empty one says, and a fixed
number of queries per role whatever the data size."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from core.roles import Role
from playbooks import services
from playbooks.models import Meeting
from playbooks.models import MeetingState
from playbooks.models import SuccessCase
from playbooks.models import TaskState
from successplans.models import ObjectiveKPI
from successplans.models import Status
from successplans.selectors.my_work import kpi_badge
from tests.factories import EngagementFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory
from tests.successplans.factories import BusinessChallengeFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory

TODAY = timezone.localdate


def _sections(response) -> list[str]:
    return [section.role for section in response.context["sections"]]


# -- who sees which panels ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who, sections",
    [
        ("agent", ["Success Agent", "Accounts and engagements"]),
        ("csm", ["Customer Success", "Accounts and engagements"]),
        ("manager", ["Success Manager"]),
        ("participant", ["Participant"]),
    ],
)
def test_each_role_sees_its_own_panels(client_for, who, sections):
    response = client_for(who).get("/")
    assert response.status_code == 200
    assert _sections(response) == sections


def test_a_user_with_several_roles_sees_each_roles_panels(db):
    user = UserFactory(username="two-hats", roles=[Role.SUCCESS_AGENT, Role.PARTICIPANT])
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert _sections(response) == ["Success Agent", "Participant", "Accounts and engagements"]
    assert "my_cases" in response.context and "part_plans" in response.context


def test_an_admin_sees_the_working_roles_panels(db):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    sections = _sections(client.get("/"))
    assert sections[:3] == ["Success Agent", "Customer Success", "Success Manager"]


@pytest.mark.parametrize("who", ["agent", "csm", "manager", "participant"])
def test_every_empty_panel_says_what_would_fill_it(client_for, who):
    response = client_for(who).get("/")
    panels = [p for s in response.context["sections"] for p in s.panels if p.empty]
    assert panels
    for panel in panels:
        assert len(panel.rows) == 0, panel.key
        assert escape(panel.empty) in response.text
        assert "appear here" in panel.empty


# -- Success Agent ---------------------------------------------------------------------------------
def test_my_tasks_put_overdue_ones_first_with_their_days_overdue(client_for, agent):
    case = services.success_case_create(engagement=EngagementFactory(), user=agent).case
    today = TODAY()
    for name, days in [("next week", 10), ("late", -4), ("this week", 2), ("undated", None)]:
        task = services.task_create(
            case_pk=case.pk,
            user=agent,
            data={"short_description": name, "assigned_to": agent},
        )
        if days is not None:
            type(task).objects.filter(pk=task.pk).update(due_date=today + timedelta(days=days))
    response = client_for("agent").get("/")
    tasks = response.context["my_tasks"]
    assert [t.short_description for t in tasks] == ["late", "this week", "next week", "undated"]
    assert [t.days_overdue for t in tasks] == [4, 0, 0, 0]
    assert [t.due_this_week for t in tasks] == [False, True, False, False]
    assert "4 days overdue" in response.text
    # every task number is a link to the task
    for shown in tasks:
        url = type(task).objects.get(number=shown.number).get_absolute_url()
        assert shown.url == url and f'href="{url}"' in response.text


def test_my_meetings_are_the_open_ones_i_attend_in_the_next_seven_days(
    client_for, agent, other_agent
):
    case = services.success_case_create(engagement=EngagementFactory(), user=agent).case
    now = timezone.now()

    def meeting(subject, days, attendee=agent, state=MeetingState.SCHEDULED):
        start = now + timedelta(days=days)
        made = Meeting.objects.create(
            case=case, subject=subject, start=start, end=start + timedelta(hours=1),
            created_by=agent,
        )  # fmt: skip
        Meeting.objects.filter(pk=made.pk).update(state=state)
        made.attendees.add(attendee)

    meeting("Kick-off", 1)
    meeting("Too far", 8)
    meeting("Not mine", 2, attendee=other_agent)
    meeting("Called off", 3, state=MeetingState.CANCELED)
    meeting("Draft", 4, state=MeetingState.DRAFT)
    shown = client_for("agent").get("/").context["my_meetings"]
    assert [m.subject for m in shown] == ["Kick-off", "Draft"]


# -- Customer Success ------------------------------------------------------------------------------
@pytest.fixture
def csm_resource(csm):
    return ResourceFactory(user=csm)


def test_my_plans_put_overdue_and_blocked_kpis_first_with_badge_counts(client_for, csm_resource):
    calm = SuccessPlanFactory(owner=csm_resource, name="A calm plan")
    ObjectiveKPIFactory(objective=ObjectiveFactory(plan=calm))  # In Progress
    trouble = SuccessPlanFactory(owner=csm_resource, name="B troubled plan")
    objective = ObjectiveFactory(plan=trouble)
    ObjectiveKPIFactory(objective=objective, blocked=True)
    ObjectiveKPIFactory(objective=objective, due_date=TODAY() - timedelta(days=1))
    ObjectiveKPIFactory(objective=objective, current=Decimal("90"))  # Completed
    SuccessPlanFactory(name="Someone else's plan")
    response = client_for("csm").get("/")
    plans = response.context["my_plans"]
    assert [p.name for p in plans] == ["B troubled plan", "A calm plan"]
    assert [(str(b.label), n) for b, n in plans.object_list[0].badge_counts] == [
        ("Overdue", 1), ("Blocked", 1), ("Completed", 1)
    ]  # fmt: skip
    assert "1 Overdue" in response.text


def test_my_due_plan_work_is_overdue_first_and_leaves_out_done_and_far_ones(
    client_for, csm_resource
):
    today = TODAY()
    plan = SuccessPlanFactory(owner=csm_resource)

    def objective(name, days, status=Status.IN_PROGRESS, resource=csm_resource):
        ObjectiveFactory(
            plan=plan, name=name, start_date=None, end_date=today + timedelta(days=days),
            status=status, resource=resource,
        )  # fmt: skip

    objective("Late objective", -3)
    objective("Soon objective", 5)
    objective("Far objective", 30)
    objective("Done objective", 1, status=Status.COMPLETED)
    objective("Not mine", 1, resource=None)
    PlaybookTaskFactory(
        plan=plan, name="My task", start_date=None, end_date=today + timedelta(days=14),
        resources=[csm_resource],
    )  # fmt: skip
    PlaybookTaskFactory(plan=plan, name="Other task", start_date=None, end_date=today)
    response = client_for("csm").get("/")
    rows = response.context["plan_work"]
    assert [r["name"] for r in rows] == ["Late objective", "Soon objective", "My task"]
    assert [r["days_overdue"] for r in rows] == [3, 0, 0]
    assert [r["kind_label"] for r in rows] == ["Objective", "Objective", "Playbook task"]
    assert all(f'href="{r["url"]}"' in response.text for r in rows)


def test_challenges_opened_this_month_on_my_plans(client_for, csm_resource):
    mine = BusinessChallengeFactory(plan=SuccessPlanFactory(owner=csm_resource), name="New one")
    old = BusinessChallengeFactory(plan=mine.plan, name="Old one")
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now().replace(day=1) - timedelta(days=2)
    )
    BusinessChallengeFactory(name="On another plan")
    shown = client_for("csm").get("/").context["new_challenges"]
    assert [c.name for c in shown] == ["New one"]


@pytest.mark.parametrize(
    "fields, badge",
    [
        ({"blocked": True}, "Blocked"),
        ({"current": None}, "Not Available"),
        ({"target": None}, "Not Available"),
        ({"current": Decimal("80")}, "Completed"),
        ({"current": Decimal("30"), "due_date": "past"}, "Overdue"),
        ({"current": Decimal("30")}, "In Progress"),
        ({"current": Decimal("30"), "due_date": "today"}, "In Progress"),  # due, not overdue
        ({"direction": "lower", "current": Decimal("5"), "target": Decimal("8")}, "Completed"),
        (
            {
                "direction": "lower",
                "current": Decimal("9"),
                "target": Decimal("8"),
                "due_date": "past",
            },
            "Overdue",
        ),
        ({"current": Decimal("30"), "due_date": None}, "In Progress"),
    ],
)
def test_the_sql_badge_is_the_models_badge(db, fields, badge):
    if fields.get("due_date") in ("past", "today"):
        fields["due_date"] = TODAY() - timedelta(days=1 if fields["due_date"] == "past" else 0)
    kpi = ObjectiveKPIFactory(**fields)
    assert kpi.badge_on(TODAY()) == badge
    annotated = ObjectiveKPI.objects.annotate(b=kpi_badge(TODAY())).get(pk=kpi.pk)
    assert annotated.b == badge


# -- Success Manager -------------------------------------------------------------------------------
def _ended(agent, phase: str, days_ago: int, reviewed: bool = False) -> SuccessCase:
    case = services.success_case_create(engagement=EngagementFactory(), user=agent).case
    ended = timezone.now() - timedelta(days=days_ago)
    SuccessCase.objects.filter(pk=case.pk).update(
        phase=phase, playbook_state="canceled", cancel_reason="Gone.", closed_at=ended,
        cycle_time=timedelta(days=2),
        reviewed_at=ended if reviewed else None, reviewed_by=agent if reviewed else None,
        review_note="Fine." if reviewed else "",
    )  # fmt: skip
    return case


def test_the_review_queue_counts_and_lists_the_oldest_first(client_for, agent):
    newer = _ended(agent, "canceled", 1)
    older = _ended(agent, "canceled", 5)
    _ended(agent, "canceled", 3, reviewed=True)
    response = client_for("manager").get("/")
    panel = next(
        p for s in response.context["sections"] for p in s.panels if p.key == "review_queue"
    )
    assert panel.extra["count"] == 2
    assert [c.number for c in panel.rows] == [older.number, newer.number]
    assert f'href="/review/{older.number}/"' in response.text


def test_the_month_figures_are_this_month_and_last(client_for, agent):
    _ended(agent, "canceled", 0)
    months = client_for("manager").get("/").context["month_figures"]
    assert [m.label.endswith(("(this month)", "(last month)")) for m in months] == [True, True]
    assert months[0].canceled == 1 and months[0].cycle_median == timedelta(days=2)


# -- Participant -----------------------------------------------------------------------------------
def test_a_participant_sees_the_plans_and_cases_they_take_part_in(client_for, agent, participant):
    mine = services.success_case_create(engagement=EngagementFactory(), user=agent).case
    mine.squad.add(participant)
    services.success_case_create(engagement=EngagementFactory(), user=agent)  # not in its squad
    resource = ResourceFactory(user=participant)
    by_objective = ObjectiveFactory(resource=resource).plan
    by_task = PlaybookTaskFactory(resources=[resource]).plan
    SuccessPlanFactory(name="Not theirs")
    response = client_for("participant").get("/")
    assert [c.number for c in response.context["part_cases"]] == [mine.number]
    assert {p.pk for p in response.context["part_plans"]} == {by_objective.pk, by_task.pk}


# -- a fixed number of queries per role ------------------------------------------------------------
def _fill(n: int, agent, csm, participant, manager) -> None:
    """``n`` of everything each role's panels show."""
    resource = ResourceFactory(user=csm)
    part = ResourceFactory(user=participant)
    today = TODAY()
    for i in range(n):
        case = services.success_case_create(engagement=EngagementFactory(), user=agent).case
        case.squad.add(participant)
        services.task_create(
            case_pk=case.pk,
            user=agent,
            data={"short_description": f"T{i}", "assigned_to": agent, "due_date": today},
        )
        start = timezone.now() + timedelta(days=1)
        meeting = Meeting.objects.create(
            case=case,
            subject=f"M{i}",
            start=start,
            end=start + timedelta(hours=1),
            created_by=agent,
        )
        meeting.attendees.add(agent)
        plan = SuccessPlanFactory(owner=resource)
        objective = ObjectiveFactory(plan=plan, resource=part, end_date=today, start_date=None)
        ObjectiveKPIFactory(objective=objective, blocked=True)
        BusinessChallengeFactory(plan=plan)
        _ended(agent, "canceled", 1)
    assert SuccessCase.objects.filter(squad=participant).count() == n
    assert TaskState.NEW  # tasks stay open


# session, user, groups, 2 permission lookups, then each panel: see successhub/workspace.py
BUDGETS = {"agent": 13, "csm": 12, "manager": 11, "participant": 8}


@pytest.mark.parametrize("who", list(BUDGETS))
@pytest.mark.parametrize("n", [1, 12])
def test_my_work_costs_the_same_at_any_size(
    client_for, agent, csm, participant, manager, django_assert_max_num_queries, who, n
):
    _fill(n, agent, csm, participant, manager)
    client = client_for(who)
    with django_assert_max_num_queries(BUDGETS[who]):
        response = client.get("/")
    assert response.status_code == 200
    shown = [
        len(p.rows)
        for s in response.context["sections"]
        for p in s.panels
        if p.key != "month_figures"
    ]
    assert max(shown) == min(n, 10)
