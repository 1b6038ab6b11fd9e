"""Change effective date: a fixed number of queries whatever the plan's size (the page and
its flow: test_effective_date.py)."""

from datetime import timedelta

import pytest

from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan

from .test_effective_date import FEB_4
from .test_effective_date import JAN_5
from .test_effective_date import days
from .test_effective_date import make_plan
from .test_effective_date import text_of
from .test_effective_date import url


@pytest.fixture
def plan(db):
    return make_plan()


def _build(plan, *, objectives: int, kpis: int, playbooks: int, tasks: int) -> None:
    """A plan's children as the app makes them (offsets fixed), in bulk."""
    new_objectives = []
    for i in range(objectives):
        objective = Objective(
            plan=plan, name=f"Objective {i:02d}", start_date=days(i), end_date=days(i + 30)
        )
        objective.anchor_to(JAN_5)
        new_objectives.append(objective)
    Objective.objects.bulk_create(new_objectives)
    new_kpis = []
    for objective in new_objectives:
        for j in range(kpis):
            kpi = ObjectiveKPI(objective=objective, name=f"KPI {j}", due_date=days(j + 20))
            kpi.anchor_to(JAN_5)
            new_kpis.append(kpi)
    ObjectiveKPI.objects.bulk_create(new_kpis)
    new_playbooks = []
    for i in range(playbooks):
        playbook = Playbook(
            plan=plan, name=f"Playbook {i:02d}", start_date=days(i), end_date=days(i + 60)
        )
        playbook.anchor_to(JAN_5)
        new_playbooks.append(playbook)
    Playbook.objects.bulk_create(new_playbooks)
    new_tasks = []
    for playbook in new_playbooks:
        for j in range(tasks):
            task = PlaybookTask(
                plan=plan,
                playbook=playbook,
                name=f"Task {j}",
                start_date=days(j),
                end_date=days(j + 7),
            )
            task.anchor_to(JAN_5)
            new_tasks.append(task)
    PlaybookTask.objects.bulk_create(new_tasks)


SIZES = {
    "one of each": {"objectives": 1, "kpis": 1, "playbooks": 1, "tasks": 1},
    "20 objectives x 5 KPIs, 10 playbooks x 10 tasks": {
        "objectives": 20,
        "kpis": 5,
        "playbooks": 10,
        "tasks": 10,
    },
}


@pytest.mark.parametrize("size", SIZES)
def test_confirming_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, plan, size
):
    _build(plan, **SIZES[size])
    # One objective moved by hand: it is reset like the others.
    edited = Objective.objects.filter(plan=plan).first()
    Objective.objects.filter(pk=edited.pk).update(start_date=days(100), end_date=days(101))
    client = client_for("csm")
    # Measured 21 at both sizes: session, user, 2 for permissions, the plan; in the
    # transaction (savepoint, release) the plan's row lock, 4 counts for what moves, 4 reads
    # of what would leave the date range (one per kind), one UPDATE each for objectives,
    # playbooks, tasks and KPIs, and the plan's UPDATE; then plan.effective_date_changed's
    # webhook endpoints (issue 14's event, issue 16's listener).
    with django_assert_max_num_queries(22):
        response = client.post(url(plan), {"effective_date": "2026-02-04", "confirmed": "1"})
    assert response.status_code == 302
    counts = SIZES[size]
    moved = counts["objectives"] * (1 + counts["kpis"]) + counts["playbooks"] * (
        1 + counts["tasks"]
    )
    assert PlaybookTask.objects.filter(plan=plan, start_date=FEB_4).count() == counts["playbooks"]
    assert Objective.objects.filter(plan=plan, start_date__lt=FEB_4).count() == 0
    assert (
        ObjectiveKPI.objects.filter(
            objective__plan=plan, due_date=FEB_4 + timedelta(days=20)
        ).count()
        == counts["objectives"]
    )
    edited.refresh_from_db()
    assert (edited.start_date, edited.end_date) == (
        FEB_4 + timedelta(days=edited.start_offset),
        FEB_4 + timedelta(days=edited.end_offset),
    )
    assert (edited.start_date, edited.end_date) == (FEB_4, FEB_4 + timedelta(days=30))
    assert SuccessPlan.objects.get(pk=plan.pk).effective_date == FEB_4
    assert moved == (
        Objective.objects.filter(plan=plan).count()
        + ObjectiveKPI.objects.filter(objective__plan=plan).count()
        + Playbook.objects.filter(plan=plan).count()
        + PlaybookTask.objects.filter(plan=plan).count()
    )


@pytest.mark.parametrize("size", SIZES)
def test_the_preview_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, plan, size
):
    _build(plan, **SIZES[size])
    client = client_for("csm")
    counts = SIZES[size]
    moving = counts["objectives"] * (1 + counts["kpis"]) + counts["playbooks"] * (
        1 + counts["tasks"]
    )
    # Measured 10 at both sizes: session, user, 2 for permissions, the plan (its account
    # joined), one count per kind of child (4), and the roles shown in the top bar.
    with django_assert_max_num_queries(10):
        response = client.post(url(plan), {"effective_date": "2026-02-04"})
    assert f"{moving} child records will move by 30 days." in text_of(response)
    # The form itself reads no child: 6 (the same minus the 4 counts).
    with django_assert_max_num_queries(6):
        assert client.get(url(plan)).status_code == 200
