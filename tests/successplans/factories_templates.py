"""Success plan templates for the template picker and Create Success Plan from a template tests.

A template's children keep offsets from its effective date, as records made
through the pages do (``anchor_to``): ``build_template`` sets them.
"""

from datetime import date
from datetime import timedelta

import factory

from successplans.models import SuccessPlan

from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookFactory
from .factories import PlaybookTaskFactory
from .factories import ResourceFactory
from .factories import SuccessPlanFactory

TEMPLATE_START = date(2025, 1, 1)


class TemplateFactory(SuccessPlanFactory):
    """A plan with the Template field selected (templates need no account)."""

    account = None
    is_template = True
    owner = None
    effective_date = TEMPLATE_START
    end_date = factory.LazyAttribute(lambda p: p.effective_date + timedelta(days=89))


def dated(plan: SuccessPlan, start: int | None, end: int | None) -> dict:
    """Dates ``start`` and ``end`` days after the plan's effective date, with their offsets."""
    day = plan.effective_date
    return {
        "start_date": None if start is None else day + timedelta(days=start),
        "end_date": None if end is None else day + timedelta(days=end),
        "start_offset": start,
        "end_offset": end,
    }


def kpi_due(plan: SuccessPlan, days: int) -> dict:
    return {"due_date": plan.effective_date + timedelta(days=days), "due_offset": days}


def build_template(
    *,
    objectives: int = 1,
    kpis: int = 1,
    playbooks: int = 1,
    tasks: int = 1,
    loose_tasks: int = 1,
    resources: int = 2,
    **plan,
) -> SuccessPlan:
    """A template: ``objectives`` of ``kpis`` KPIs, ``playbooks`` of ``tasks`` tasks, loose tasks.

    Objectives and playbooks have a resource; every task has ``resources`` resources.
    """
    template = TemplateFactory(**plan)
    people = ResourceFactory.create_batch(max(resources, 1))
    for i in range(objectives):
        objective = ObjectiveFactory(plan=template, resource=people[0], **dated(template, i, 60))
        for _ in range(kpis):
            ObjectiveKPIFactory(objective=objective, **kpi_due(template, 45))
    for i in range(playbooks):
        playbook = PlaybookFactory(plan=template, resource=people[0], **dated(template, i, 30))
        for j in range(tasks):
            PlaybookTaskFactory(
                playbook=playbook, resources=people[:resources], **dated(template, j, j + 2)
            )
    for j in range(loose_tasks):
        PlaybookTaskFactory(plan=template, resources=people[:resources], **dated(template, j, 40))
    return template
