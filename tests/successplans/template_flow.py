"""The Create Success Plan from a template flow as its tests drive it: the "Onboarding —
90 days" template with the people around it, the details a user types and the Select Records
grid posted back as a browser would."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.urls import reverse

from successplans.models import KPIValue
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import RecordType
from successplans.models import Status
from successplans.models import SuccessPlan
from tests.factories import AccountFactory
from tests.factories import ResourceFactory

from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookFactory
from .factories import PlaybookTaskFactory
from .factories import RecordTypeFactory
from .factories_templates import TemplateFactory
from .factories_templates import dated
from .factories_templates import kpi_due

GONE = "The template was deleted meanwhile: choose another template."
RESOURCE_ERROR = "Choose an active resource that is not a PSA resource."
END_BEFORE_START = "The end date cannot be before the start date."
OT = RecordType.ObjectType


def create_url(template) -> str:
    return reverse("successplans:template-create", args=[template.pk])


def make_world() -> SimpleNamespace:
    """The "Onboarding — 90 days" template (effective Jan 1, 2025) and the people around it."""
    ada = ResourceFactory(user__username="ada", user__first_name="Ada", user__last_name="Byron")
    grace = ResourceFactory(user__username="grace", user__first_name="Grace", user__last_name="Ho")
    linus = ResourceFactory(user__username="linus", user__first_name="Linus", user__last_name="T")
    psa = ResourceFactory(
        user__username="pat", user__first_name="Pat", user__last_name="Services", is_psa=True
    )
    types = {kind: RecordTypeFactory(object_type=kind, name=f"Onboarding {kind}") for kind in OT}
    t = TemplateFactory(
        name="Onboarding — 90 days",
        description="Live in 90 days.",
        record_type=types[OT.SUCCESS_PLAN],
        status=Status.IN_PROGRESS,
        owner=ada,
    )
    golive = ObjectiveFactory(
        plan=t,
        name="Go live",
        description="In production.",
        status=Status.IN_PROGRESS,
        resource=ada,
        record_type=types[OT.OBJECTIVE],
        **dated(t, 0, 59),
    )
    users = ObjectiveKPIFactory(
        objective=golive,
        name="Active users",
        unit="users",
        baseline=Decimal("0"),
        current=Decimal("10"),
        target=Decimal("100"),
        **kpi_due(t, 60),
    )
    tickets = ObjectiveKPIFactory(objective=golive, name="Open tickets", **kpi_due(t, 30))
    adoption = ObjectiveFactory(plan=t, name="Adoption", **dated(t, 30, 89))
    logins = ObjectiveKPIFactory(objective=adoption, name="Logins per week", **kpi_due(t, 89))
    kickoff = PlaybookFactory(
        plan=t,
        name="Kickoff",
        description="Meet the team.",
        status=Status.COMPLETED,
        resource=ada,
        record_type=types[OT.PLAYBOOK],
        **dated(t, 0, 14),
    )
    schedule = PlaybookTaskFactory(
        playbook=kickoff,
        name="Schedule kickoff",
        description="Find a date.",
        status=Status.COMPLETED,
        resources=[ada, grace],
        record_type=types[OT.PLAYBOOK_TASK],
        **dated(t, 0, 2),
    )
    agenda = PlaybookTaskFactory(playbook=kickoff, name="Send agenda", **dated(t, 1, 3))
    welcome = PlaybookTaskFactory(plan=t, name="Welcome email", resources=[grace], **dated(t, 5, 5))
    return SimpleNamespace(
        template=t,
        url=create_url(t),
        account=AccountFactory(name="Northwind"),
        ada=ada,
        grace=grace,
        linus=linus,
        psa=psa,
        types=types,
        golive=golive,
        users=users,
        tickets=tickets,
        adoption=adoption,
        logins=logins,
        kickoff=kickoff,
        schedule=schedule,
        agenda=agenda,
        welcome=welcome,
    )


def details(world, **overrides) -> dict:
    data = {
        "name": "Northwind onboarding",
        "account": world.account.pk,
        "effective_date": "2026-03-02",
        "owner": world.grace.pk,
        "next_step": "1",
    }
    data.update(overrides)
    return data


def posted(form) -> dict:
    """What a browser posts for ``form`` as the page shows it."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        elif isinstance(value, date):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(value)
    return data


def grid_data(response) -> dict:
    """The Select Records page posted back as shown (the details ride along hidden)."""
    grid = response.context["grid"]
    data = {**posted(response.context["details"]), "grid": "1"}
    if response.context["next"]:
        data["next"] = response.context["next"]
    for row in grid.objectives:
        data.update(posted(row.form))
        data.update(posted(row.kpis.management_form))
        for kpi in row.kpis.forms:
            data.update(posted(kpi))
    for form in grid.row_forms():
        data.update(posted(form))
    return data


def open_grid(client, world, **overrides):
    response = client.post(world.url, details(world, **overrides))
    assert response.status_code == 200
    assert response.context["step"] == "records"
    return response


def counts() -> tuple:
    return (
        SuccessPlan.objects.count(),
        Objective.objects.count(),
        ObjectiveKPI.objects.count(),
        Playbook.objects.count(),
        PlaybookTask.objects.count(),
        PlaybookTask.resources.through.objects.count(),
        KPIValue.objects.count(),
    )
