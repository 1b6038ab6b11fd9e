"""Bulk success plans for the large set: each with an objective and its KPIs, a playbook
with five tasks, two tasks directly under the plan (seven tasks a plan), a business
challenge and a CS activity.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from successplans.models import BusinessChallenge
from successplans.models import ChallengeCategory
from successplans.models import CSActivity
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import Status
from successplans.models import SuccessPlan

PLAN_PREFIX = "Benchmark plan "
TASKS_IN_PLAYBOOK = 5
LOOSE_TASKS = 2


def build(size, people, rng: random.Random, *, batch: int, stream=None) -> None:
    from engagements.models import Account

    from .data import ACCOUNT_PREFIX
    from .data import Progress

    accounts = list(Account.objects.filter(name__startswith=ACCOUNT_PREFIX).only("pk"))
    categories = list(ChallengeCategory.objects.filter(active=True)) or [None]
    progress = Progress("plans", size.plans, stream)
    for first in range(1, size.plans + 1, batch):
        last = min(size.plans, first + batch - 1)
        with transaction.atomic():
            _batch(range(first, last + 1), accounts, people, categories, rng)
        progress.add(last - first + 1)


def _dated(child, plan, start: int, length: int):
    child.start_date = plan.effective_date + timedelta(days=start)
    child.end_date = child.start_date + timedelta(days=length)
    child.start_offset, child.end_offset = start, start + length
    return child


def _batch(numbers, accounts, people, categories, rng: random.Random) -> None:
    today = timezone.localdate()
    statuses = [choice for choice, _ in Status.choices]
    resources = people["resources"]
    agents = people["agents"]
    rows = []
    for number in numbers:
        effective = today - timedelta(days=rng.randint(0, 365))
        rows.append(
            SuccessPlan(
                account=rng.choice(accounts),
                name=f"{PLAN_PREFIX}{number:05d}",
                effective_date=effective,
                end_date=effective + timedelta(days=rng.randint(60, 365)),
                status=rng.choice(statuses),
                owner=rng.choice(resources) if resources else None,
            )
        )
    plans = SuccessPlan.objects.bulk_create(rows, batch_size=1000)

    objectives = Objective.objects.bulk_create(
        [
            _dated(
                Objective(plan=plan, name="Reach weekly adoption", status=plan.status), plan, 0, 90
            )
            for plan in plans
        ],
        batch_size=1000,
    )
    # name, unit, baseline, current range, target, direction
    kpi_specs = [
        ("Weekly active users", "%", 10, (10, 90), 80, ObjectiveKPI.Direction.HIGHER),
        ("Open tickets", "tickets", 40, (5, 40), 10, ObjectiveKPI.Direction.LOWER),
    ]
    kpis = [
        ObjectiveKPI(
            objective=objective,
            name=name,
            unit=unit,
            baseline=Decimal(baseline),
            current=Decimal(rng.randint(*current)),
            target=Decimal(target),
            direction=direction,
            due_date=objective.end_date,
            due_offset=(objective.end_date - objective.plan.effective_date).days,
        )
        for objective in objectives
        for name, unit, baseline, current, target, direction in kpi_specs
    ]
    ObjectiveKPI.objects.bulk_create(kpis, batch_size=1000)

    playbooks = Playbook.objects.bulk_create(
        [_dated(Playbook(plan=plan, name="Rollout playbook"), plan, 7, 60) for plan in plans],
        batch_size=1000,
    )
    tasks = []
    for plan, playbook in zip(plans, playbooks, strict=True):
        for i in range(TASKS_IN_PLAYBOOK):
            task = PlaybookTask(plan=plan, playbook=playbook, name=f"Rollout step {i + 1}")
            tasks.append(_dated(task, plan, 7 + 10 * i, 9))
        for i in range(LOOSE_TASKS):
            tasks.append(_dated(PlaybookTask(plan=plan, name=f"Check-in {i + 1}"), plan, 30 * i, 1))
    PlaybookTask.objects.bulk_create(tasks, batch_size=2000)

    BusinessChallenge.objects.bulk_create(
        [
            BusinessChallenge(
                plan=plan, name="Legacy spreadsheets still in use", category=rng.choice(categories)
            )
            for plan in plans
        ],
        batch_size=1000,
    )
    CSActivity.objects.bulk_create(
        [
            CSActivity(
                plan=plan,
                date=plan.effective_date + timedelta(days=14),
                subject="Kick-off call",
                who=rng.choice(agents),
            )
            for plan in plans
        ],
        batch_size=1000,
    )
