"""Demo success plans for ``seed_demo``: several accounts, every KPI badge, record types,
and templates to create plans from.

Idempotent: record types, plans and templates are matched by name, and a plan's
children are only added when the plan is first created.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from engagements.models import Account
from engagements.models import Resource

from .demo_templates import TEMPLATE_START
from .demo_templates import TEMPLATES
from .demo_templates import demo_kpi
from .demo_templates import seed_templates
from .models import BusinessChallenge
from .models import ChallengeCategory
from .models import CSActivity
from .models import KPIValue
from .models import Objective
from .models import ObjectiveKPI
from .models import Playbook
from .models import PlaybookTask
from .models import RecordType
from .models import Status
from .models import SuccessPlan

RECORD_TYPES = [
    (RecordType.ObjectType.SUCCESS_PLAN, "Standard plan", ["description", "end_date", "owner"]),
    (RecordType.ObjectType.SUCCESS_PLAN, "Lightweight plan", ["owner"]),
    (RecordType.ObjectType.CS_ACTIVITY, "Executive touchpoint", ["notes"]),
]


def _record_types() -> dict[str, RecordType]:
    types = {}
    for object_type, name, field_set in RECORD_TYPES:
        types[name], _ = RecordType.objects.get_or_create(
            object_type=object_type, name=name, defaults={"field_set": field_set}
        )
    return types


def seed_plans(users: dict, today: date) -> None:
    types = _record_types()
    resources = {r.user.username: r for r in Resource.objects.select_related("user")}
    categories = {c.name: c for c in ChallengeCategory.objects.all()}
    d = lambda days: today + timedelta(days=days)  # noqa: E731

    plans = [
        # account, name, record type, effective (days), length, status, owner
        (
            "Northwind Traders",
            "Northwind platform success plan",
            "Standard plan",
            -45,
            180,
            Status.IN_PROGRESS,
            "csm",
        ),
        (
            "Contoso Health",
            "Contoso clinical adoption plan",
            "Standard plan",
            -90,
            270,
            Status.IN_PROGRESS,
            "csm",
        ),
        (
            "Litware Financial",
            "Litware risk suite expansion",
            "Lightweight plan",
            -10,
            120,
            Status.NOT_STARTED,
            "agent",
        ),
        (
            "Wide World Importers",
            "Wide World renewal readiness",
            "Standard plan",
            -60,
            90,
            Status.ON_HOLD,
            "agent2",
        ),
        # Two more accounts for the Success Tracker (issue 13): today's line crosses their
        # bars, and six plans make a second page. No owner, so nobody's My Work changes.
        (
            "Fabrikam Manufacturing",
            "Fabrikam second site rollout",
            "Standard plan",
            -20,
            150,
            Status.IN_PROGRESS,
            "",
        ),
        (
            "Adventure Works Cycles",
            "Adventure Works adoption recovery",
            "Lightweight plan",
            -100,
            200,
            Status.IN_PROGRESS,
            "",
        ),
    ]
    for account_name, name, type_name, start, length, status, owner in plans:
        account = Account.objects.filter(name=account_name).first()
        if account is None:
            continue
        plan, created = SuccessPlan.objects.get_or_create(
            account=account,
            name=name,
            defaults={
                "description": f"What {account_name} wants to achieve with us this year.",
                "effective_date": d(start),
                "end_date": d(start + length),
                "status": status,
                "owner": resources.get(owner),
                "record_type": types[type_name],
            },
        )
        if created:
            _children(plan, start, resources, categories, users, d)
    seed_templates(resources, types)


def _children(plan, start, resources, categories, users, d) -> None:
    csm, agent = resources.get("csm"), resources.get("agent")
    adoption = Objective.objects.create(
        plan=plan,
        name="Reach broad daily adoption",
        description="Most licensed users work in the product every day.",
        start_date=d(start),
        end_date=d(start + 120),
        status=Status.IN_PROGRESS,
        resource=csm,
    )
    value = Objective.objects.create(
        plan=plan,
        name="Prove measurable business value",
        start_date=d(start + 30),
        end_date=d(start + 170),
        status=Status.NOT_STARTED,
        resource=agent,
    )
    kpis = ObjectiveKPI.objects.bulk_create(
        [
            demo_kpi(
                adoption, "Weekly active users", "%", "35", "82", "80", d(start + 90)
            ),  # Completed
            demo_kpi(
                adoption, "Licenses activated", "licenses", "120", "310", "400", d(60)
            ),  # In Progress
            demo_kpi(
                adoption, "Time to first value", "days", "45", "30", "14", d(-5), lower=True
            ),  # Overdue
            demo_kpi(
                value, "Executive sponsor NPS", "points", None, None, "40", d(90)
            ),  # Not Available
            demo_kpi(
                value, "Integration uptime", "%", "97", "97.5", "99.9", d(45), blocked=True
            ),  # Blocked
        ]
    )
    history = []
    for kpi in kpis:
        if kpi.current is not None and kpi.baseline is not None:
            mid = (kpi.baseline + kpi.current) / 2
            history += [
                KPIValue(kpi=kpi, value=kpi.baseline, recorded_by=users["csm"]),
                KPIValue(kpi=kpi, value=mid.quantize(Decimal("0.01")), recorded_by=users["csm"]),
                KPIValue(kpi=kpi, value=kpi.current, recorded_by=users["csm"]),
            ]
    KPIValue.objects.bulk_create(history)

    rollout = Playbook.objects.create(
        plan=plan,
        name="Rollout playbook",
        start_date=d(start),
        end_date=d(start + 60),
        status=Status.IN_PROGRESS,
        resource=csm,
    )
    enablement = Playbook.objects.create(
        plan=plan,
        name="Champion enablement",
        start_date=d(start + 45),
        end_date=d(start + 105),
        status=Status.NOT_STARTED,
        resource=agent,
    )
    tasks = [
        (rollout, "Kickoff with the sponsor", 0, 7, Status.COMPLETED),
        (rollout, "Configure single sign-on", 7, 21, Status.COMPLETED),
        (rollout, "Train the first wave", 21, 45, Status.IN_PROGRESS),
        (enablement, "Pick champions per site", 45, 60, Status.NOT_STARTED),
        (enablement, "Run the champions' workshop", 60, 75, Status.NOT_STARTED),
        (None, "Quarterly business review", 85, 86, Status.NOT_STARTED),
    ]
    for playbook, name, offset, end, status in tasks:
        task = PlaybookTask.objects.create(
            plan=plan,
            playbook=playbook,
            name=name,
            start_date=d(start + offset),
            end_date=d(start + end),
            status=status,
        )
        task.resources.set([r for r in (csm, agent) if r is not None])

    BusinessChallenge.objects.bulk_create(
        [
            BusinessChallenge(
                plan=plan,
                name="Legacy spreadsheets still in use",
                category=categories.get("Adoption"),
                notes="Two regional teams keep their own trackers.",
            ),
            BusinessChallenge(
                plan=plan,
                name="ERP integration delayed",
                category=categories.get("Integration"),
                notes="Waiting for the customer's IT change window.",
            ),
        ]
    )
    who = get_user_model().objects.filter(username="csm").first()
    if who is not None:
        CSActivity.objects.bulk_create(
            [
                CSActivity(
                    plan=plan,
                    type=CSActivity.Type.MEETING,
                    date=d(start + 2),
                    subject="Kickoff",
                    who=who,
                ),
                CSActivity(
                    plan=plan,
                    type=CSActivity.Type.CALL,
                    date=d(start + 30),
                    subject="Monthly check-in",
                    notes="Adoption on track; SSO done.",
                    who=who,
                ),
            ]
        )


__all__ = ["TEMPLATES", "TEMPLATE_START", "seed_plans", "seed_templates"]
