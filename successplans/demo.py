"""Demo success plans for ``seed_demo``: several accounts, every KPI badge, record types,
and templates to create plans from.

Idempotent: record types, plans and templates are matched by name, and a plan's
children are only added when the plan is first created.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from engagements.models import Account, Resource

from .models import (
    BusinessChallenge,
    ChallengeCategory,
    CSActivity,
    KPIValue,
    Objective,
    ObjectiveKPI,
    Playbook,
    PlaybookTask,
    RecordType,
    Status,
    SuccessPlan,
)

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


def _kpi(objective, name, unit, baseline, current, target, due, *, lower=False, blocked=False):
    return ObjectiveKPI(
        objective=objective,
        name=name,
        unit=unit,
        baseline=None if baseline is None else Decimal(baseline),
        current=None if current is None else Decimal(current),
        target=None if target is None else Decimal(target),
        direction=ObjectiveKPI.Direction.LOWER if lower else ObjectiveKPI.Direction.HIGHER,
        due_date=due,
        blocked=blocked,
        external=not blocked,
    )


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
            _kpi(
                adoption, "Weekly active users", "%", "35", "82", "80", d(start + 90)
            ),  # Completed
            _kpi(
                adoption, "Licenses activated", "licenses", "120", "310", "400", d(60)
            ),  # In Progress
            _kpi(
                adoption, "Time to first value", "days", "45", "30", "14", d(-5), lower=True
            ),  # Overdue
            _kpi(
                value, "Executive sponsor NPS", "points", None, None, "40", d(90)
            ),  # Not Available
            _kpi(
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


# -- templates ------------------------------------------------------------------------------
#: Templates sit on fixed dates: their children keep their distance (in days) from the
#: template's effective date, and a plan made from one gets the same distances from its own.
TEMPLATE_START = date(2026, 1, 1)

# Each template: name, description, length in days, objectives, playbooks, tasks without a
# playbook. Objectives: (name, description, start, end, resource, KPIs); a KPI: (name, unit,
# baseline, target, due, lower is better). Playbooks: (name, description, start, end, resource,
# tasks); a task: (name, start, end, resources). Days count from the effective date.
TEMPLATES = [
    (
        "Onboarding — 90 days",
        "The first 90 days of a new customer: technical setup, first-month adoption and the "
        "first proof of business value, closed by a 90-day business review.",
        89,
        [
            (
                "Complete technical onboarding",
                "Every system is connected and every licensed user can sign in.",
                0,
                30,
                "csm",
                [
                    ("Integrations live", "integrations", "0", "3", 30, False),
                    ("Users provisioned", "%", "0", "100", 21, False),
                ],
            ),
            (
                "Drive first-month adoption",
                "Users work in the product every week, with fewer support tickets.",
                15,
                60,
                "agent",
                [
                    ("Weekly active users", "%", "0", "60", 60, False),
                    ("Support tickets per week", "tickets", "20", "5", 60, True),
                ],
            ),
            (
                "Show first business value",
                "The sponsor sees a measurable result before the 90-day review.",
                45,
                89,
                "csm",
                [
                    ("Time to first value", "days", "60", "30", 75, True),
                    ("Executive sponsor satisfaction", "points", "0", "8", 89, False),
                ],
            ),
        ],
        [
            (
                "Kickoff and setup",
                "Agree the goals, then connect the customer's systems.",
                0,
                21,
                "csm",
                [
                    ("Kickoff meeting with the sponsor", 0, 2, ["csm"]),
                    ("Confirm success criteria", 2, 7, []),
                    ("Configure single sign-on", 5, 14, ["agent"]),
                    ("Import historical data", 10, 21, []),
                ],
            ),
            (
                "User enablement",
                "Train administrators and end users; name champions in every team.",
                14,
                60,
                "agent",
                [
                    ("Train the administrators", 14, 21, ["csm", "agent"]),
                    ("Run end-user training waves", 21, 45, ["agent"]),
                    ("Pick champions per team", 30, 40, []),
                ],
            ),
        ],
        [("90-day business review", 85, 89, ["csm"])],
    ),
    (
        "Renewal readiness",
        "The four months before a renewal: show the value delivered, close open risks and "
        "agree the renewal with the sponsor.",
        120,
        [
            (
                "Confirm value delivered",
                "The customer agrees the plan's objectives were met.",
                0,
                45,
                "csm",
                [
                    ("Objectives met", "%", "50", "90", 45, False),
                    ("Executive sponsor NPS", "points", "20", "40", 40, False),
                ],
            ),
            (
                "Secure the renewal",
                "The renewal is forecast with confidence and nothing critical is open.",
                30,
                120,
                "agent",
                [
                    ("Renewal forecast confidence", "%", "50", "90", 90, False),
                    ("Open critical support cases", "cases", "4", "0", 60, True),
                ],
            ),
        ],
        [
            (
                "Value review",
                "Gather the evidence and present it to the executive sponsor.",
                0,
                45,
                "csm",
                [
                    ("Collect adoption and KPI data", 0, 10, ["csm"]),
                    ("Prepare the value report", 10, 25, []),
                    ("Executive business review", 30, 35, ["csm", "agent"]),
                ],
            ),
            (
                "Renewal negotiation",
                "Agree scope and terms well before the contract ends.",
                60,
                120,
                "agent",
                [
                    ("Agree renewal scope with the sponsor", 60, 75, ["agent"]),
                    ("Send the renewal proposal", 75, 80, []),
                    ("Close open risks", 80, 110, []),
                ],
            ),
        ],
        [("Risk check with the account team", 20, 21, ["csm"])],
    ),
]


def seed_templates(resources: dict, types: dict) -> None:
    """Add the demo templates (no account) with dated children, unless they exist."""
    for name, description, length, objectives, playbooks, loose_tasks in TEMPLATES:
        template, created = SuccessPlan.objects.get_or_create(
            name=name,
            is_template=True,
            defaults={
                "account": None,
                "description": description,
                "effective_date": TEMPLATE_START,
                "end_date": TEMPLATE_START + timedelta(days=length),
                "status": Status.NOT_STARTED,
                "record_type": types.get("Standard plan"),
            },
        )
        if created:
            _template_children(template, objectives, playbooks, loose_tasks, resources)


def _template_children(template, objectives, playbooks, loose_tasks, resources) -> None:
    def day(days: int) -> date:
        return template.effective_date + timedelta(days=days)

    def dated(record):
        record.anchor_to(template.effective_date)
        record.save()
        return record

    kpis = []
    for name, description, start, end, resource, kpi_rows in objectives:
        objective = dated(
            Objective(
                plan=template,
                name=name,
                description=description,
                start_date=day(start),
                end_date=day(end),
                resource=resources.get(resource),
            )
        )
        for kpi_name, unit, baseline, target, due, lower in kpi_rows:
            kpi = _kpi(objective, kpi_name, unit, baseline, None, target, day(due), lower=lower)
            kpi.anchor_to(template.effective_date)
            kpis.append(kpi)
    ObjectiveKPI.objects.bulk_create(kpis)

    def add_task(playbook, name, start, end, who):
        task = dated(
            PlaybookTask(
                plan=template,
                playbook=playbook,
                name=name,
                start_date=day(start),
                end_date=day(end),
            )
        )
        task.resources.set([resources[w] for w in who if w in resources])

    for name, description, start, end, resource, tasks in playbooks:
        playbook = dated(
            Playbook(
                plan=template,
                name=name,
                description=description,
                start_date=day(start),
                end_date=day(end),
                resource=resources.get(resource),
            )
        )
        for task in tasks:
            add_task(playbook, *task)
    for task in loose_tasks:
        add_task(None, *task)
