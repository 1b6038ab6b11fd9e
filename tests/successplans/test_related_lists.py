"""The plan's Related tab: objectives, playbooks, tasks, business challenges, CS activities."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from successplans.models import CSActivity
from successplans.models import ObjectiveKPI
from tests.factories import ResourceFactory
from tests.factories import UserFactory
from tests.successplans.factories import BusinessChallengeFactory
from tests.successplans.factories import ChallengeCategoryFactory
from tests.successplans.factories import CSActivityFactory
from tests.successplans.factories import KPIValueFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import PlaybookFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory

VIEW_ONLY = ["participant", "agent", "manager"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def related(plan) -> str:
    return f"/plans/{plan.pk}/?tab=related"


@pytest.fixture
def plan(db):
    plan = SuccessPlanFactory(name="Contoso adoption plan")
    objective = ObjectiveFactory(
        plan=plan,
        name="Raise weekly active users",
        resource=ResourceFactory(user__first_name="Olga", user__last_name="Owner"),
    )
    ObjectiveKPIFactory(objective=objective, name="WAU", current=90, target=80)
    ObjectiveKPIFactory(
        objective=objective,
        name="Tickets",
        current=None,
        due_date=timezone.localdate() + timedelta(1),
    )
    playbook = PlaybookFactory(plan=plan, name="Onboarding playbook")
    PlaybookTaskFactory(
        playbook=playbook,
        name="Train the leads",
        resources=[
            ResourceFactory(user__first_name="Rita", user__last_name="One"),
            ResourceFactory(user__first_name="Remy", user__last_name="Two"),
        ],
    )
    PlaybookTaskFactory(playbook=playbook, name="Train the floor")
    PlaybookTaskFactory(plan=plan, name="Send the welcome pack")
    BusinessChallengeFactory(
        plan=plan,
        name="Paper pick lists",
        category=ChallengeCategoryFactory(name="Adoption"),
        notes="Pickers still print their lists. " * 10,
    )
    CSActivityFactory(
        plan=plan,
        type=CSActivity.Type.MEETING,
        subject="Quarterly business review",
        who=UserFactory(first_name="Carla", last_name="Csm"),
    )
    return plan


@pytest.mark.parametrize("who", ["csm", *VIEW_ONLY])
def test_every_role_sees_the_related_lists(client_for, plan, who):
    response = client_for(who).get(related(plan))
    assert response.status_code == 200
    text = response.text
    for heading in (
        "Objectives (1)",
        "Playbooks (1)",
        "Playbook Tasks (3)",
        "Business Challenges (1)",
        "CS Activities (1)",
    ):
        assert heading in text
    assert "Raise weekly active users" in text and "Olga Owner" in text
    assert "Onboarding playbook" in text
    assert "Train the leads" in text and "Remy Two, Rita One" in text
    assert "Paper pick lists" in text and "Adoption" in text
    assert "Quarterly business review" in text and "Carla Csm" in text and "Meeting" in text


def test_it_links_each_row_to_its_record_page(client_for, plan):
    text = client_for("participant").get(related(plan)).text
    objective = plan.objectives.get()
    playbook = plan.playbooks.get()
    challenge = plan.business_challenges.get()
    assert f'href="/objectives/{objective.pk}/"' in text
    assert f'href="/plan-playbooks/{playbook.pk}/"' in text
    for task in plan.playbook_tasks.all():
        assert f'href="/plan-tasks/{task.pk}/"' in text
    assert f'href="{reverse("successplans:challenge-detail", args=[challenge.pk])}"' in text


def test_it_shows_kpi_badges_and_task_counts_at_a_glance(client_for, plan):
    text = client_for("participant").get(related(plan)).text
    assert 'class="badge badge-completed" title="WAU">Completed<' in text
    assert 'class="badge badge-not-available" title="Tickets">Not Available<' in text
    assert '<td class="num">2</td>' in text  # the playbook's two tasks
    assert "<td>—</td>" in text  # the task directly under the plan has no playbook


def test_it_shows_an_excerpt_of_the_challenge_notes(client_for, plan):
    text = client_for("participant").get(related(plan)).text
    assert "Pickers still print their lists." in text
    assert "Pickers still print their lists. " * 10 not in text


def test_customer_success_gets_new_edit_and_delete_in_place(client_for, plan):
    text = client_for("csm").get(related(plan)).text
    objective = plan.objectives.get()
    for url in (
        reverse("successplans:objective-new", args=[plan.pk]),
        reverse("successplans:objective-edit", args=[objective.pk]),
        reverse("successplans:objective-delete", args=[objective.pk]),
        reverse("successplans:playbook-new", args=[plan.pk]),
        reverse("successplans:task-new", args=[plan.pk]),
        reverse("successplans:plan-challenge-new", args=[plan.pk]),
        reverse("successplans:activity-new", args=[plan.pk]),
    ):
        assert f'hx-get="{url}"' in text
    assert 'hx-target="#related-objectives"' in text
    assert 'hx-target="#related-activities"' in text


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_view_only_roles_see_no_edit_controls(client_for, plan, who):
    text = client_for(who).get(related(plan)).text
    assert "hx-get" not in text
    assert ">New<" not in text and ">Edit<" not in text and ">Delete<" not in text


def test_it_gives_one_list_to_htmx(client_for, plan):
    url = reverse("successplans:related-list", args=[plan.pk, "tasks"])
    response = client_for("participant").get(url, **HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        '<section class="card related-list" id="related-tasks"'
    )
    assert "Train the leads" in response.text


def test_it_sends_a_plain_request_for_one_list_to_the_related_tab(client_for, plan):
    url = reverse("successplans:related-list", args=[plan.pk, "tasks"])
    assert client_for("participant").get(url)["Location"] == related(plan)


def test_unknown_list_is_404(client_for, plan):
    url = reverse("successplans:related-list", args=[plan.pk, "nonsense"])
    assert client_for("csm").get(url, **HTMX).status_code == 404


def test_it_refuses_one_list_to_a_user_without_role(client_for, plan):
    url = reverse("successplans:related-list", args=[plan.pk, "tasks"])
    assert client_for("no_role_user").get(url, **HTMX).status_code == 403


def fill(plan, size: int) -> None:
    for n in range(size):
        objective = ObjectiveFactory(plan=plan, resource=ResourceFactory())
        kpi = ObjectiveKPIFactory(objective=objective, blocked=n % 2 == 0)
        KPIValueFactory(kpi=kpi, recorded_by=UserFactory())
        playbook = PlaybookFactory(plan=plan, resource=ResourceFactory())
        PlaybookTaskFactory(playbook=playbook, resources=[ResourceFactory(), ResourceFactory()])
        PlaybookTaskFactory(plan=plan, resources=[ResourceFactory()])
        BusinessChallengeFactory(plan=plan, category=ChallengeCategoryFactory(name=f"Cat {n}"))
        CSActivityFactory(plan=plan, who=UserFactory())


# Measured: 14 queries at both sizes (session, user, 2 permission reads, the plan and
# its 8 prefetches, the user's role names).
@pytest.mark.parametrize("size", [1, 10])
def test_the_related_tab_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, size
):
    plan = SuccessPlanFactory()
    fill(plan, size)
    client = client_for("csm")
    with django_assert_max_num_queries(15):
        response = client.get(related(plan))
    assert response.status_code == 200
    assert f"Objectives ({size})" in response.text


@pytest.mark.parametrize("size", [1, 10])
def test_an_in_place_change_answers_with_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, size
):
    plan = SuccessPlanFactory()
    fill(plan, size)
    client = client_for("csm")
    url = reverse("successplans:activity-new", args=[plan.pk])
    with django_assert_max_num_queries(20):
        response = client.post(
            url, {"type": "call", "date": "2026-02-02", "subject": "Kick-off", "notes": ""}, **HTMX
        )
    assert response.status_code == 200
    assert f"CS Activities ({size + 1})" in response.text
    assert ObjectiveKPI.objects.filter(objective__plan=plan).count() == size
