"""Demo templates for ``seed_demo``: plans made from them get the children's distances in days."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from decimal import Decimal

from .models import Objective
from .models import ObjectiveKPI
from .models import Playbook
from .models import PlaybookTask
from .models import Status
from .models import SuccessPlan


def demo_kpi(objective, name, unit, baseline, current, target, due, *, lower=False, blocked=False):
    """An objective KPI of the demo data (values as numbers or strings, unsaved)."""
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
            kpi = demo_kpi(objective, kpi_name, unit, baseline, None, target, day(due), lower=lower)
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
