"""Deleting a success plan: /plans/<id>/delete/, reached from the Success Plans tab only."""

import pytest
from django.urls import reverse

from successplans.models import BusinessChallenge
from successplans.models import CSActivity
from successplans.models import KPIValue
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan

from .factories import BusinessChallengeFactory
from .factories import CSActivityFactory
from .factories import KPIValueFactory
from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookFactory
from .factories import PlaybookTaskFactory
from .factories import SuccessPlanFactory


@pytest.fixture
def plan(db):
    """2 objectives with 3 KPIs (one with a recorded value), 2 playbooks, 4 tasks, 1 challenge,
    2 activities: 15 child records."""
    plan = SuccessPlanFactory(name="Warehouse adoption")
    first, second = ObjectiveFactory.create_batch(2, plan=plan)
    kpi = ObjectiveKPIFactory(objective=first)
    KPIValueFactory(kpi=kpi)
    ObjectiveKPIFactory.create_batch(2, objective=second)
    playbook, _ = PlaybookFactory.create_batch(2, plan=plan)
    PlaybookTaskFactory.create_batch(3, playbook=playbook)
    PlaybookTaskFactory(plan=plan)
    BusinessChallengeFactory(plan=plan)
    CSActivityFactory.create_batch(2, plan=plan)
    return plan


@pytest.fixture
def other_plan(db):
    other = SuccessPlanFactory(name="Someone else's plan")
    ObjectiveKPIFactory(objective=ObjectiveFactory(plan=other))
    PlaybookTaskFactory(playbook=PlaybookFactory(plan=other))
    BusinessChallengeFactory(plan=other)
    CSActivityFactory(plan=other)
    return other


def url(plan) -> str:
    return reverse("successplans:plan-delete", args=[plan.pk])


def test_it_says_how_many_child_records_go_with_the_plan(client_for, plan, other_plan):
    response = client_for("csm").get(url(plan))
    assert response.status_code == 200
    # Counted by Django's deletion collector: everything that goes, the KPI's history too.
    going = [
        ("objectives", 2),
        ("objective KPIs", 3),
        ("KPI value", 1),
        ("playbooks", 2),
        ("playbook tasks", 4),
        ("business challenge", 1),
        ("CS activities", 2),
    ]
    deleted_with = response.context["deleted_with"]
    assert list(deleted_with.counts) == going
    assert deleted_with.total == 15
    text = response.text
    assert "Warehouse adoption" in text
    assert "These <strong>15 child records</strong> go with it" in text
    for label, number in going:
        assert f"<dt>{label[0].upper()}{label[1:]}</dt><dd>{number}</dd>" in text
    # Nothing is deleted by looking.
    assert SuccessPlan.objects.filter(pk=plan.pk).exists()


def test_a_plan_without_children_says_so(client_for):
    plan = SuccessPlanFactory()
    assert "It has no child records." in client_for("csm").get(url(plan)).text


def test_it_deletes_the_plan_with_every_child(client_for, plan, other_plan):
    response = client_for("csm").post(url(plan))
    assert response.status_code == 302
    assert response.url == reverse("successplans:plan-list")
    assert not SuccessPlan.objects.filter(pk=plan.pk).exists()
    assert not Objective.objects.filter(plan_id=plan.pk).exists()
    assert not ObjectiveKPI.objects.filter(objective__plan_id=plan.pk).exists()
    assert not Playbook.objects.filter(plan_id=plan.pk).exists()
    assert not PlaybookTask.objects.filter(plan_id=plan.pk).exists()
    assert not BusinessChallenge.objects.filter(plan_id=plan.pk).exists()
    assert not CSActivity.objects.filter(plan_id=plan.pk).exists()
    assert KPIValue.objects.count() == 0
    # The other plan keeps everything.
    assert (Objective.objects.count(), ObjectiveKPI.objects.count()) == (1, 1)
    assert (Playbook.objects.count(), PlaybookTask.objects.count()) == (1, 1)
    assert (BusinessChallenge.objects.count(), CSActivity.objects.count()) == (1, 1)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Success plan “Warehouse adoption” deleted with 15 child records."]


def test_the_plan_record_page_has_no_delete(client_for, plan):
    text = client_for("csm").get(plan.get_absolute_url()).text
    assert url(plan) not in text
    assert ">Delete<" not in text.split('id="plan-tab"')[0]


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_delete(client_for, plan, who):
    client = client_for(who)
    assert client.get(url(plan)).status_code == 403
    assert client.post(url(plan)).status_code == 403
    assert SuccessPlan.objects.filter(pk=plan.pk).exists()
    assert Objective.objects.filter(plan=plan).count() == 2


def test_it_refuses_a_user_without_role(client_for, plan):
    assert client_for("no_role_user").post(url(plan)).status_code == 403
    assert SuccessPlan.objects.filter(pk=plan.pk).exists()


def test_it_sends_strangers_to_login(client_for, plan):
    response = client_for(None).post(url(plan))
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")
    assert SuccessPlan.objects.filter(pk=plan.pk).exists()


def test_unknown_plan_is_404(client_for, db):
    assert client_for("csm").post("/plans/999999/delete/").status_code == 404
