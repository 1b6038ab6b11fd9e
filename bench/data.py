"""The reliability suite's database side, run inside Django by ``bench/reliability.py``
(``manage.py shell -c "from bench import data; data.main()"``): it lists what the
simulated users work on, prepares the races' cases, and checks every acknowledged write.

Input: ``BENCH_ACTION`` and ``BENCH_FILE`` (JSON); output: one JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from engagements.models import Engagement
from playbooks import services as case_services
from playbooks.models import JournalEntry
from playbooks.models import SuccessCase
from successplans.models import KPIValue
from successplans.models import ObjectiveKPI


def targets() -> dict:
    """Open engagements for new cases; KPIs (plan, name) for the CSMs' grid saves."""
    engagements = list(
        Engagement.objects.filter(state__in=Engagement.OPEN_STATES).values_list("pk", flat=True)
    )
    kpis = [
        {"plan": plan, "name": name, "id": pk}
        for pk, plan, name in ObjectiveKPI.objects.order_by("pk").values_list(
            "pk", "objective__plan_id", "name"
        )
    ]
    users = dict(get_user_model().objects.values_list("username", "pk"))
    return {"engagements": engagements, "kpis": kpis, "users": users}


def race_cases(rounds: int) -> dict:
    """Per round: a case at Core information (the gate), one with every activity done
    (Close success case), one with a meeting (its transition), one closed (Mark Reviewed)."""
    from tests.factories import open_activity
    from tests.factories import work_case_until

    agent = get_user_model().objects.get(username="agent")
    engagement = Engagement.objects.filter(state__in=Engagement.OPEN_STATES).first()
    out: dict[str, list] = {"gate": [], "close": [], "meeting": [], "review": []}
    for _ in range(rounds):
        case = case_services.success_case_create(engagement=engagement, user=agent).case
        activity = open_activity(case)
        out["gate"].append({"number": case.number, "activity": activity.pk, "name": activity.name})

        case = case_services.success_case_create(engagement=engagement, user=agent).case
        work_case_until(case, agent)
        out["close"].append({"number": case.number})

        case = case_services.success_case_create(engagement=engagement, user=agent).case
        start = timezone.now() + timedelta(days=1)
        meeting = case_services.meeting_create(
            case_pk=case.pk,
            user=agent,
            data={"subject": "Race", "start": start, "end": start + timedelta(hours=1)},
        )
        out["meeting"].append({"number": case.number, "meeting": meeting.pk})

        case = case_services.success_case_create(engagement=engagement, user=agent).case
        work_case_until(case, agent)
        case_services.success_case_close(case_pk=case.pk, user=agent)
        out["review"].append({"number": case.number})
    return out


def race_results(cases: dict) -> dict:
    """How many times each race's change was made: 1 everywhere is the only right answer."""

    def changes(number: str, field: str, new: str = "") -> int:
        rows = JournalEntry.objects.filter(case__number=number, field=field)
        return rows.filter(new_value=new).count() if new else rows.count()

    return {
        "gate": [changes(c["number"], f"Activity: {c['name']}", "Complete") for c in cases["gate"]],
        "close": [changes(c["number"], "State", "Closed") for c in cases["close"]],
        "meeting": [
            JournalEntry.objects.filter(
                case__number=c["number"], field__endswith=" state", new_value="Canceled"
            ).count()
            for c in cases["meeting"]
        ],
        "review": [changes(c["number"], "Reviewed", "Yes") for c in cases["review"]],
        "kpi": [
            KPIValue.objects.filter(kpi_id=k["id"], value__in=k["values"]).count()
            for k in cases.get("kpi", [])
        ],
    }


def verify(acked: dict) -> dict:
    """Every write the server acknowledged, looked up: what is missing, and half-written cases."""
    numbers = set(acked["cases"])
    found = set(SuccessCase.objects.filter(number__in=numbers).values_list("number", flat=True))
    activities = set(acked["activities"])
    from playbooks.models import CaseActivity

    done = set(
        CaseActivity.objects.filter(pk__in=activities, state="complete").values_list(
            "pk", flat=True
        )
    )
    kpi_missing = 0
    for kpi_id, value in acked["kpis"]:
        if not KPIValue.objects.filter(kpi_id=kpi_id, value=value).exists():
            kpi_missing += 1
    # A case is whole when it has its activities and its opening journal.
    half = (
        SuccessCase.objects.filter(number__in=numbers)
        .annotate(n=Count("activities", distinct=True), j=Count("journal", distinct=True))
        .filter(n=0)
        .count()
        + SuccessCase.objects.filter(number__in=numbers)
        .annotate(j=Count("journal"))
        .filter(j=0)
        .count()
    )
    return {
        "cases": len(numbers),
        "cases_missing": len(numbers - found),
        "activities": len(activities),
        "activities_missing": len(activities - done),
        "kpi_values": len(acked["kpis"]),
        "kpi_values_missing": kpi_missing,
        "half_written_cases": half,
    }


def tasks() -> dict:
    from django_tasks_db.models import DBTaskResult

    return dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))


def main() -> None:
    action = os.environ["BENCH_ACTION"]
    path = os.environ.get("BENCH_FILE")
    arg = None
    if path and os.path.exists(path):
        with open(path) as f:
            arg = json.load(f)
    result = {
        "targets": lambda: targets(),
        "race_cases": lambda: race_cases(int(os.environ.get("BENCH_ROUNDS", "5"))),
        "race_results": lambda: race_results(arg),
        "verify": lambda: verify(arg),
        "tasks": lambda: tasks(),
    }[action]()
    sys.stdout.write("BENCH-JSON " + json.dumps(result, default=str) + "\n")
