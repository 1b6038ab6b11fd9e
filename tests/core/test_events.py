"""Each service announces its change on the domain-event bus (``core.events``), with plain values.

A recorder replaces every listener for the test, so these say what the services emit, not
what the notifications make of it (``tests/notifications/``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from django.utils import timezone

from core import events
from playbooks import services as case_services
from playbooks.models import Phase
from successplans import services as plan_services
from tests.factories import EngagementFactory
from tests.factories import ResourceFactory
from tests.factories import work_case_until
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import SuccessPlanFactory

CATALOGUE = [
    "case.created",
    "case.assigned",
    "case.squad_joined",
    "case.phase_changed",
    "case.closed",
    "case.canceled",
    "case_task.assigned",
    "plan_task.assigned",
    "kpi.value_changed",
    "kpi.badge_changed",
    "plan.created",
    "plan.effective_date_changed",
]


@pytest.fixture
def emitted(monkeypatch) -> list[tuple[str, dict]]:
    """Every event emitted during the test, as (name, data) in order."""
    seen: list[tuple[str, dict]] = []

    def record(name, **data):
        seen.append((name, data))

    monkeypatch.setattr(events, "_listeners", defaultdict(list, {n: [record] for n in CATALOGUE}))
    return seen


def named(seen, name: str) -> list[dict]:
    return [data for event, data in seen if event == name]


@pytest.fixture
def case(agent):
    return case_services.success_case_create(engagement=EngagementFactory(), user=agent).case


def test_creating_a_case_announces_it_and_its_assignee(agent, emitted):
    case = case_services.success_case_create(engagement=EngagementFactory(), user=agent).case
    assert named(emitted, "case.created") == [{"actor_id": agent.pk, "case_id": case.pk}]
    assert named(emitted, "case.assigned") == [
        {"actor_id": agent.pk, "case_id": case.pk, "assignee_id": agent.pk, "previous_id": None}
    ]


def test_reassigning_a_case_names_the_new_and_the_previous_agent(agent, other_agent, case, emitted):
    case_services.case_update(case_pk=case.pk, user=agent, data={"assigned_to": other_agent})
    assert named(emitted, "case.assigned") == [
        {
            "actor_id": agent.pk,
            "case_id": case.pk,
            "assignee_id": other_agent.pk,
            "previous_id": agent.pk,
        }
    ]


def test_an_unchanged_assignee_is_not_announced(agent, case, emitted):
    case_services.case_update(case_pk=case.pk, user=agent, data={"assigned_to": agent})
    assert named(emitted, "case.assigned") == []


def test_adding_squad_members_announces_each_new_one(agent, other_agent, case, emitted):
    work_case_until(case, agent, "Add squad")
    emitted.clear()
    activity = case.activities.get(name="Add squad")
    case_services.activity_complete(
        case_pk=case.pk, activity_pk=activity.pk, user=agent, data={"squad": [agent, other_agent]}
    )
    joined = named(emitted, "case.squad_joined")
    assert joined == [
        {"actor_id": agent.pk, "case_id": case.pk, "user_id": agent.pk},
        {"actor_id": agent.pk, "case_id": case.pk, "user_id": other_agent.pk},
    ]


def test_moving_to_the_next_lane_announces_the_phase(agent, case, emitted):
    work_case_until(case, agent, "Communicate the intended outcome")
    changes = named(emitted, "case.phase_changed")
    assert {"phase": Phase.ASSIST, "previous": Phase.INITIATE} in [
        {"phase": c["phase"], "previous": c["previous"]} for c in changes
    ]


def test_closing_and_canceling_are_announced(agent, case, emitted):
    work_case_until(case, agent)
    case_services.success_case_close(case_pk=case.pk, user=agent)
    assert named(emitted, "case.closed") == [{"actor_id": agent.pk, "case_id": case.pk}]

    other = case_services.success_case_create(engagement=EngagementFactory(), user=agent).case
    case_services.success_case_cancel(case_pk=other.pk, user=agent, reason="Customer left")
    assert named(emitted, "case.canceled") == [{"actor_id": agent.pk, "case_id": other.pk}]


def test_a_case_task_assigned_at_creation_and_on_edit(agent, other_agent, case, emitted):
    task = case_services.task_create(
        case_pk=case.pk, user=agent, data={"short_description": "Call", "assigned_to": other_agent}
    )
    unassigned = case_services.task_create(
        case_pk=case.pk, user=agent, data={"short_description": "Later"}
    )
    case_services.record_update(
        case_pk=case.pk, user=agent, record=unassigned, data={"assigned_to": agent}
    )
    assert named(emitted, "case_task.assigned") == [
        {
            "actor_id": agent.pk,
            "task_id": task.pk,
            "case_id": case.pk,
            "assignee_id": other_agent.pk,
        },
        {
            "actor_id": agent.pk,
            "task_id": unassigned.pk,
            "case_id": case.pk,
            "assignee_id": agent.pk,
        },
    ]


def test_a_plan_task_announces_only_newly_added_resources(csm, emitted):
    plan = SuccessPlanFactory()
    first, second = ResourceFactory(), ResourceFactory()
    task = plan_services.task_create(
        plan=plan, data={"name": "Kick-off", "resources": [first]}, user=csm
    )
    plan_services.task_update(task=task, data={"resources": [first, second]}, user=csm)
    assert named(emitted, "plan_task.assigned") == [
        {"actor_id": csm.pk, "task_id": task.pk, "plan_id": plan.pk, "assignee_id": first.user_id},
        {"actor_id": csm.pk, "task_id": task.pk, "plan_id": plan.pk, "assignee_id": second.user_id},
    ]


def test_a_kpi_value_and_its_badge_are_announced(csm, emitted):
    kpi = ObjectiveKPIFactory(objective=ObjectiveFactory())
    plan = kpi.objective.plan
    plan_services.kpi_grid_save(plan=plan, changes=[(kpi, {"current": 50})], user=csm)
    plan_services.kpi_grid_save(plan=plan, changes=[(kpi, {"blocked": True})], user=csm)
    assert named(emitted, "kpi.value_changed") == [
        {
            "actor_id": csm.pk,
            "kpi_id": kpi.pk,
            "plan_id": plan.pk,
            "previous": "40.00",
            "value": "50",
        }
    ]
    assert named(emitted, "kpi.badge_changed") == [
        {
            "actor_id": csm.pk,
            "kpi_id": kpi.pk,
            "plan_id": plan.pk,
            "previous": "In Progress",
            "badge": "Blocked",
        }
    ]


def test_creating_a_plan_and_moving_its_effective_date(db, emitted):
    plan = plan_services.plan_create(
        data={
            "name": "Adoption",
            "account": SuccessPlanFactory().account,
            "effective_date": timezone.localdate(),
        }
    )
    assert named(emitted, "plan.created") == [{"actor_id": None, "plan_id": plan.pk}]
    old = plan.effective_date
    new = old + timedelta(days=7)
    plan_services.plan_change_effective_date(plan=plan, new_date=new)
    assert named(emitted, "plan.effective_date_changed") == [
        {
            "actor_id": None,
            "plan_id": plan.pk,
            "previous": old.isoformat(),
            "effective_date": new.isoformat(),
        }
    ]


def test_a_refused_change_announces_nothing(agent, case, emitted):
    with pytest.raises(case_services.DomainError):
        case_services.success_case_cancel(case_pk=case.pk, user=agent, reason=" ")
    assert emitted == []


def test_a_scope_computes_each_lookup_once_and_outside_one_every_time():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with events.scope():
        assert [events.memo(("k",), compute) for _ in range(3)] == [1, 1, 1]
        assert events.memo(("other",), compute) == 2
    assert events.memo(("k",), compute) == 3  # the scope ended: nothing is kept
    assert events.memo(("k",), compute) == 4


def test_the_scoped_user_is_only_the_signed_in_person(agent, other_agent):
    with events.scope(user=agent):
        assert events.scoped_user(agent.pk) is agent
        assert events.scoped_user(other_agent.pk) is None
        assert events.scoped_user(None) is None
    assert events.scoped_user(agent.pk) is None


def test_a_write_reads_the_webhook_endpoints_once_for_all_the_events_it_emits(csm):
    """A KPI's new value that also blocks it emits kpi.value_changed and kpi.badge_changed:
    in a request's scope the endpoints are read once, not once per event."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from api.models import WebhookDelivery
    from api.models import WebhookEndpoint

    WebhookEndpoint.objects.create(
        url="http://127.0.0.1:9/hook",
        event_types=["kpi.value_changed", "kpi.badge_changed"],
        secret="s" * 32,
    )
    kpi = ObjectiveKPIFactory(objective=ObjectiveFactory())
    plan = kpi.objective.plan
    with events.scope(user=csm), CaptureQueriesContext(connection) as queries:
        plan_services.kpi_grid_save(
            plan=plan, changes=[(kpi, {"current": 50, "blocked": True})], user=csm
        )
    assert sorted(WebhookDelivery.objects.values_list("event_type", flat=True)) == [
        "kpi.badge_changed",
        "kpi.value_changed",
    ]
    endpoint_reads = [q for q in queries if "api_webhookendpoint" in q["sql"]]
    assert len(endpoint_reads) == 1


def test_every_request_is_one_scope_with_its_signed_in_user(rf, agent):
    from core.middleware import EventScopeMiddleware

    seen = []

    def view(request):
        seen.append(events.memo(("n",), lambda: len(seen)))
        seen.append(events.memo(("n",), lambda: len(seen)))
        seen.append(events.scoped_user(agent.pk))
        return "response"

    request = rf.get("/")
    request.user = agent
    assert EventScopeMiddleware(view)(request) == "response"
    assert seen == [0, 0, agent]
