"""Demo data for My Work (``seed_demo``): every demo user's panels have something in them.

Runs after the cases and plans are seeded and only adds what My Work reads on top of them:
due dates on the agents' open tasks (one overdue, one this week), a meeting of the next few
days for each agent, squads that mix the two agents and the participant, the participant as
the resource of an objective, and a Customer Success objective and playbook task ending
soon. Writes go through the services where one exists (meetings, tasks); the rest are demo
facts set directly. Idempotent: each addition is recognised by its name and not repeated;
the due dates are set again relative to today on every run.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.utils import timezone

from engagements.models import Resource
from playbooks import services as case_services
from playbooks.models import OPEN_PHASES
from playbooks.models import OPEN_TASK_STATES
from playbooks.models import CaseTask
from playbooks.models import Meeting
from playbooks.models import Phase
from playbooks.models import SuccessCase
from successplans.models import DONE_STATUSES
from successplans.models import Objective
from successplans.models import PlaybookTask

MEETING = "Weekly check-in"
TASK = "Prepare the adoption review"


def seed_workspace(users: dict, today: date) -> None:
    for name, other in (("agent", "agent2"), ("agent2", "agent")):
        agent = users.get(name)
        if agent is None:
            continue
        cases = list(
            SuccessCase.objects.filter(assigned_to=agent, phase__in=OPEN_PHASES).order_by("pk")
        )
        if not cases:
            continue
        case = cases[0]
        _squad(case, users.get(other), users.get("participant"))
        _tasks(case, agent, today)
        _meeting(case, agent, users.get("participant"), today)
    participant = users.get("participant")
    if participant is not None:
        closed = SuccessCase.objects.filter(phase=Phase.CLOSED).order_by("pk").first()
        if closed is not None:
            closed.squad.add(participant)
        _participant_resource(participant)
    csm = users.get("csm")
    if csm is not None:
        _plan_work_due(csm, today)


def _squad(case: SuccessCase, *members) -> None:
    """The other agent and the participant work on the case too (its squad)."""
    case.squad.add(*[m for m in members if m is not None])


def _tasks(case: SuccessCase, agent, today: date) -> None:
    """Two open tasks of the agent's: one three days overdue, one due in three days."""
    if not CaseTask.objects.filter(case=case, short_description=TASK).exists():
        case_services.task_create(
            case_pk=case.pk,
            user=agent,
            data={"short_description": TASK, "assigned_to": agent},
        )
    open_tasks = CaseTask.objects.filter(
        assigned_to=agent, state__in=OPEN_TASK_STATES, case__phase__in=OPEN_PHASES
    ).order_by("pk")[:2]
    for task, days in zip(open_tasks, (-3, 3), strict=False):
        CaseTask.objects.filter(pk=task.pk).update(due_date=today + timedelta(days=days))


def _meeting(case: SuccessCase, agent, participant, today: date) -> None:
    """A scheduled check-in the day after tomorrow, the agent and the participant attending."""
    start = timezone.make_aware(datetime.combine(today + timedelta(days=2), time(10, 0)))
    existing = Meeting.objects.filter(case=case, subject=MEETING).first()
    if existing is not None:
        Meeting.objects.filter(pk=existing.pk).update(start=start, end=start + timedelta(hours=1))
        return
    case_services.meeting_create(
        case_pk=case.pk,
        user=agent,
        data={
            "subject": MEETING,
            "start": start,
            "end": start + timedelta(hours=1),
            "attendees": [u for u in (agent, participant) if u is not None],
            "location": "Video call",
            "agenda": "Adoption figures, open tasks, next steps.",
        },
        schedule=True,
    )


def _participant_resource(participant) -> None:
    """The participant is the resource of one objective (so they take part in its plan)."""
    resource, _ = Resource.objects.get_or_create(
        user=participant, defaults={"title": "Executive sponsor"}
    )
    if Objective.objects.filter(resource=resource).exists():
        return
    objective = Objective.objects.filter(plan__is_template=False).order_by("pk").first()
    if objective is not None:
        Objective.objects.filter(pk=objective.pk).update(resource=resource)


def _plan_work_due(csm, today: date) -> None:
    """One of the CSM's objectives ends in five days, one playbook task of theirs is overdue."""
    resource = Resource.objects.filter(user=csm).first()
    if resource is None:
        return
    objective = (
        Objective.objects.filter(resource=resource, plan__is_template=False)
        .exclude(status__in=DONE_STATUSES)
        .order_by("pk")
        .first()
    )
    if objective is not None and (objective.start_date or today) <= today + timedelta(days=5):
        Objective.objects.filter(pk=objective.pk).update(end_date=today + timedelta(days=5))
    task = (
        PlaybookTask.objects.filter(plan__owner=resource, plan__is_template=False)
        .exclude(status__in=DONE_STATUSES)
        .order_by("pk")
        .first()
    )
    if task is not None:
        task.resources.add(resource)
        if (task.start_date or today) <= today - timedelta(days=2):
            PlaybookTask.objects.filter(pk=task.pk).update(end_date=today - timedelta(days=2))
