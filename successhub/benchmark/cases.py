"""Bulk success cases for the large set: open ones in each lane, closed and canceled ones.

Each case gets what the services would have written: the moments it left its
lanes and its cycle time (on the row), its activities (open cases; copied
from the playbook's ``ActivityDefinition`` rows), its journal
(State and Phase changes at the moments it left each lane, a comment, a
"Reviewed" change for reviewed cases), a squad, and a few meetings and tasks.
About eight journal entries a case, as in production. Closed and canceled
cases carry no activities (no measured page reads them), which keeps the build
short.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from playbooks.models import LANES
from playbooks.models import ActivityDefinition
from playbooks.models import ActivityState
from playbooks.models import CaseActivity
from playbooks.models import CaseTask
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import SuccessCase
from playbooks.models import TaskState
from playbooks.services import activity_from
from playbooks.services import playbook_version_current

CASE_PREFIX = "BEN"
TASK_PREFIX = "BENTASK"
CLOSED_SHARE = 0.85  # of the finished cases; the others are canceled
REVIEWED_SHARE = 0.2


def build(size, people, engagements, rng: random.Random, *, batch: int, stream=None) -> None:
    from .data import Progress

    definitions = sorted(
        ActivityDefinition.objects.filter(version=playbook_version_current(), active=True),
        key=lambda d: (LANES.index(d.phase), d.order),
    )
    codes = list(ClosureCode.objects.filter(active=True)) or [None]
    progress = Progress("cases", size.cases, stream)
    task_number = 0
    for first in range(1, size.cases + 1, batch):
        last = min(size.cases, first + batch - 1)
        with transaction.atomic():
            task_number = _batch(
                range(first, last + 1),
                size,
                people,
                engagements,
                definitions,
                codes,
                task_number,
                rng,
            )
        progress.add(last - first + 1)


def _is_open(number: int, size) -> bool:
    """Spread the open cases evenly over the numbers, exactly ``size.open_cases`` of them."""
    return (number * size.open_cases) // size.cases != (
        (number - 1) * size.open_cases
    ) // size.cases


def _batch(numbers, size, people, engagements, definitions, codes, task_number, rng) -> int:
    now = timezone.now()
    agents, manager = people["agents"], people["manager"]
    rows, stories = [], []
    for number in numbers:
        agent = rng.choice(agents)
        engagement = rng.choice(engagements)
        common = {
            "number": f"{CASE_PREFIX}{number:07d}",
            "engagement": engagement,
            "short_description": f"Benchmark case {number}",
            "priority": rng.choice([1, 2, 3, 3, 3, 4]),
            "assigned_to": agent,
            "opened_by": agent,
            "playbook_version_id": definitions[0].version_id,  # the default playbook's
        }
        if _is_open(number, size):
            lane = rng.choice([0, 0, 1, 1, 1, 2])
            opened_at = now - timedelta(days=rng.uniform(0.5, 120))
            elapsed = now - opened_at
            left = [opened_at + elapsed * 0.2, opened_at + elapsed * 0.6][:lane]
            start = (opened_at + timedelta(days=2)).date()
            case = SuccessCase(
                **common,
                **_ended(left),
                opened_at=opened_at,
                phase=LANES[lane],
                planned_start=start,
                planned_end=start + timedelta(days=rng.randint(14, 120)),
            )
            stories.append((agent, lane, left, None))
        else:
            closed_at = now - timedelta(days=rng.uniform(0.5, 364))
            cycle = timedelta(hours=rng.lognormvariate(5.3, 0.6))  # ~8 days, long tail
            opened_at = closed_at - cycle
            split = [rng.uniform(0.05, 0.25), rng.uniform(0.3, 0.6)]
            left = [opened_at + cycle * split[0], opened_at + cycle * (split[0] + split[1])]
            closed = rng.random() < CLOSED_SHARE
            last_lane = 2 if closed else rng.choice([0, 1, 1, 2])
            reviewed = closed and rng.random() < REVIEWED_SHARE
            case = SuccessCase(
                **common,
                **_ended([*left[:last_lane], closed_at]),
                cycle_time=cycle,
                opened_at=opened_at,
                closed_by=agent,
                closed_at=closed_at,
                phase=Phase.CLOSED if closed else Phase.CANCELED,
                playbook_state="completed" if closed else "canceled",
                closure_code=rng.choice(codes) if closed else None,
                close_notes="Outcome reviewed with the customer." if closed else "",
                cancel_reason="" if closed else "The customer paused the project.",
                reviewed_at=closed_at + timedelta(days=1) if reviewed else None,
                reviewed_by=manager if reviewed else None,
                review_note="Benchmark review." if reviewed else "",
            )
            stories.append((agent, last_lane, left[:last_lane], closed_at))
        rows.append(case)
    SuccessCase.objects.bulk_create(rows, batch_size=1000)

    journal, activities, meetings, tasks, squad = [], [], [], [], []
    Squad = SuccessCase.squad.through
    for case, (agent, lane, left, closed_at) in zip(rows, stories, strict=True):
        journal += _journal(case, agent, lane, left, closed_at, manager)
        if closed_at is None:
            activities += _activities(case, agent, lane, definitions)
        end = closed_at or now
        done_state = closed_at is not None
        for _ in range(rng.choice([0, 1, 1, 2])):
            start = case.opened_at + (end - case.opened_at) * rng.uniform(0.2, 0.8)
            meetings.append(
                Meeting(
                    case=case,
                    subject="Benchmark check-in",
                    start=start,
                    end=start + timedelta(hours=1),
                    state=MeetingState.COMPLETE if done_state else MeetingState.SCHEDULED,
                    created_by=agent,
                )
            )
        for _ in range(rng.choice([0, 1, 2, 3])):
            task_number += 1
            tasks.append(
                CaseTask(
                    case=case,
                    number=f"{TASK_PREFIX}{task_number:08d}",
                    short_description="Benchmark task",
                    assigned_to=agent,
                    state=TaskState.COMPLETE if done_state else TaskState.IN_PROGRESS,
                    created_by=agent,
                    due_date=(end + timedelta(days=rng.randint(-10, 30))).date(),
                )
            )
        members = {agent.pk, rng.choice(people["agents"]).pk}
        squad += [Squad(successcase_id=case.pk, user_id=pk) for pk in members]
    JournalEntry.objects.bulk_create(journal, batch_size=2000)
    CaseActivity.objects.bulk_create(activities, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    CaseTask.objects.bulk_create(tasks, batch_size=1000)
    Squad.objects.bulk_create(squad, batch_size=2000)
    return task_number


def _ended(moments: list) -> dict:
    """The moments the case left its lanes, as the services keep them on the row."""
    names = ("initiate_ended_at", "assist_ended_at", "review_close_ended_at")
    return dict(zip(names, moments, strict=False))


def _journal(case, agent, lane: int, left: list, closed_at, manager) -> list[JournalEntry]:
    """The changes the services write: opening, each lane left, closing or canceling."""

    def change(field, old, new, at, author=agent):
        return JournalEntry(
            case=case,
            author=author,
            kind=JournalEntry.Kind.CHANGE,
            field=field,
            old_value=old,
            new_value=new,
            created_at=at,
        )

    opened = case.opened_at
    entries = [
        change("State", "—", "Open", opened),
        change("Phase", "—", "Initiate", opened),
        change("Priority", "3 - Moderate", case.get_priority_display(), opened),
        JournalEntry(
            case=case,
            author=agent,
            kind=JournalEntry.Kind.COMMENT,
            body="We agreed the intended outcome with the customer.",
            created_at=opened + timedelta(hours=1),
        ),
    ]
    for index, moment in enumerate(left):
        entries.append(change("Phase", LANES[index].label, LANES[index + 1].label, moment))
    if closed_at is not None:
        end = "Closed" if case.phase == Phase.CLOSED else "Canceled"
        entries += [
            change("Phase", LANES[lane].label, end, closed_at),
            change("State", "Open", end, closed_at),
        ]
        if case.reviewed_at is not None:
            entries.append(change("Reviewed", "No", "Yes", case.reviewed_at, author=manager))
    return entries


def _activities(case, agent, lane: int, definitions) -> list[CaseActivity]:
    """The playbook copied for an open case: earlier lanes complete, its lane's first open."""
    rows, started = [], False
    for position, definition in enumerate(definitions, start=1):
        index = LANES.index(definition.phase)
        if index < lane:
            state = ActivityState.COMPLETE
        elif index == lane and not started:
            state, started = ActivityState.IN_PROGRESS, True
        else:
            state = ActivityState.PENDING
        done = state == ActivityState.COMPLETE
        rows.append(
            activity_from(
                definition,
                case=case,
                position=position,
                state=state,
                completed_by=agent if done else None,
                completed_at=case.opened_at if done else None,
            )
        )
    return rows
