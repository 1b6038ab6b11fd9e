"""The Success Tracker shows progress in percent (issue 13, item 9, first part): a plan's share
of tasks done, an objective's mean KPI progress (baseline → target, direction respected)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from successplans.models import Status
from tests.factories import AccountFactory

from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookTaskFactory
from .factories import SuccessPlanFactory

URL = reverse("successplans:tracker")
TRACKER_WINDOW = {"zoom": "quarters", "start": "2025-01-01"}


@pytest.fixture
def plan(db):
    plan = SuccessPlanFactory(
        account=AccountFactory(name="Northwind"),
        name="Warehouse rollout",
        effective_date=date(2025, 1, 6),
        end_date=date(2025, 6, 30),
    )
    objective = ObjectiveFactory(plan=plan, name="Pickers use scanners")
    # 50 %, 25 % (lower is better: 40 → 30 of the way to 0), and one without figures.
    ObjectiveKPIFactory(objective=objective, baseline=0, current=50, target=100)
    ObjectiveKPIFactory(
        objective=objective,
        baseline=Decimal(40),
        current=Decimal(30),
        target=Decimal(0),
        direction="lower",
    )
    ObjectiveKPIFactory(objective=objective, baseline=None, current=None, target=None)
    for status in (Status.COMPLETED, Status.NOT_STARTED, Status.IN_PROGRESS, Status.CANCELED):
        PlaybookTaskFactory(plan=plan, status=status)
    return plan


def test_each_plan_and_objective_shows_its_progress_in_percent(client_for, plan):
    response = client_for("participant").get(URL, TRACKER_WINDOW)
    text = response.text
    plan_row = text.split(f'data-testid="tracker-plan-{plan.pk}"')[1].split("</tr>")[0]
    assert "<strong>50%</strong>" in plan_row  # 2 of 4 tasks done (completed or canceled)
    objective = plan.objectives.get()
    objective_row = text.split(f'data-testid="tracker-objective-{objective.pk}"')[1]
    assert "<strong>38%</strong>" in objective_row.split("</tr>")[0]  # (50 + 25) / 2


@pytest.mark.parametrize("plans", [1, 12])
def test_progress_costs_no_query(client_for, django_assert_max_num_queries, plan, plans):
    for _ in range(plans):
        extra = SuccessPlanFactory(effective_date=date(2025, 2, 1), end_date=date(2025, 5, 1))
        ObjectiveKPIFactory(objective=ObjectiveFactory(plan=extra))
    client = client_for("participant")
    with django_assert_max_num_queries(17):
        assert client.get(URL, TRACKER_WINDOW).status_code == 200
