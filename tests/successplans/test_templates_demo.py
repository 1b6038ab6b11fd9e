"""seed_demo's templates: "Onboarding — 90 days" and "Renewal readiness", with dated children."""

from datetime import date
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from successplans.demo import TEMPLATE_START
from successplans.demo import TEMPLATES
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan

NAMES = ["Onboarding — 90 days", "Renewal readiness"]


@pytest.fixture
def seeded(seeded_demo):
    """The demo, seeded once for the module (see ``seeded_demo``)."""


def test_it_adds_the_templates_without_account(seeded):
    templates = SuccessPlan.objects.filter(is_template=True).order_by("name")
    assert [t.name for t in templates] == NAMES
    for template in templates:
        assert template.account is None
        assert template.effective_date == TEMPLATE_START == date(2026, 1, 1)
        assert template.end_date > template.effective_date
        assert template.description
        assert template.status == "not_started"


def test_the_onboarding_template_has_children_of_every_kind(seeded):
    template = SuccessPlan.objects.get(name="Onboarding — 90 days")
    assert template.end_date == date(2026, 3, 31)
    objectives = {o.name: o for o in template.objectives.all()}
    assert set(objectives) == {
        "Complete technical onboarding",
        "Drive first-month adoption",
        "Show first business value",
    }
    technical = objectives["Complete technical onboarding"]
    assert (technical.start_date, technical.end_date) == (date(2026, 1, 1), date(2026, 1, 31))
    assert technical.resource.user.username == "csm"
    wau = ObjectiveKPI.objects.get(objective__plan=template, name="Weekly active users")
    assert (wau.baseline, wau.target, wau.current) == (0, 60, None)
    assert wau.due_date == date(2026, 3, 2)
    tickets = ObjectiveKPI.objects.get(objective__plan=template, name="Support tickets per week")
    assert tickets.direction == ObjectiveKPI.Direction.LOWER
    playbooks = {p.name: p for p in template.playbooks.all()}
    assert set(playbooks) == {"Kickoff and setup", "User enablement"}
    assert playbooks["Kickoff and setup"].tasks.count() == 4
    assert playbooks["User enablement"].tasks.count() == 3
    sso = PlaybookTask.objects.get(plan=template, name="Configure single sign-on")
    assert [r.user.username for r in sso.resources.all()] == ["agent"]
    review = PlaybookTask.objects.get(plan=template, playbook=None)
    assert review.name == "90-day business review"
    assert (review.start_date, review.end_date) == (date(2026, 3, 27), date(2026, 3, 31))


def test_every_template_has_objectives_kpis_playbooks_tasks_and_a_loose_task(seeded):
    for template in SuccessPlan.objects.filter(is_template=True):
        assert template.objectives.count() >= 2
        assert not Objective.objects.filter(plan=template, kpis__isnull=True).exists()
        kpis = ObjectiveKPI.objects.filter(objective__plan=template)
        assert not kpis.filter(baseline__isnull=True).exists()
        assert not kpis.filter(target__isnull=True).exists()
        assert not kpis.filter(due_date__isnull=True).exists()
        assert template.playbooks.count() >= 2
        assert not Playbook.objects.filter(plan=template, tasks__isnull=True).exists()
        assert PlaybookTask.objects.filter(plan=template, playbook=None).count() == 1
        assert PlaybookTask.objects.filter(plan=template, resources__isnull=False).exists()
        assert PlaybookTask.objects.filter(plan=template, resources__isnull=True).exists()


def test_children_keep_their_offsets_from_the_effective_date(seeded):
    for template in SuccessPlan.objects.filter(is_template=True):
        start = template.effective_date
        for model in (Objective, Playbook, PlaybookTask):
            for child in model.objects.filter(plan=template):
                assert child.start_date == start + timedelta(days=child.start_offset)
                assert child.end_date == start + timedelta(days=child.end_offset)
                assert child.start_date <= child.end_date
                assert child.end_date <= template.end_date
        for kpi in ObjectiveKPI.objects.filter(objective__plan=template):
            assert kpi.due_date == start + timedelta(days=kpi.due_offset)


def test_tasks_sit_inside_their_playbook(seeded):
    for task in PlaybookTask.objects.filter(plan__is_template=True, playbook__isnull=False):
        assert task.playbook.start_date <= task.start_date
        assert task.end_date <= task.playbook.end_date


def test_the_seed_data_matches_the_templates(seeded):
    assert [t[0] for t in TEMPLATES] == NAMES
    for name, _description, _length, objectives, playbooks, loose in TEMPLATES:
        template = SuccessPlan.objects.get(name=name)
        assert template.objectives.count() == len(objectives)
        assert ObjectiveKPI.objects.filter(objective__plan=template).count() == sum(
            len(o[5]) for o in objectives
        )
        assert template.playbooks.count() == len(playbooks)
        assert template.playbook_tasks.count() == sum(len(p[5]) for p in playbooks) + len(loose)


def test_seeding_again_adds_no_copies(seeded):
    template = SuccessPlan.objects.get(name="Renewal readiness")
    template.description = "Our own words."
    template.save()
    counts = [
        SuccessPlan.objects.filter(is_template=True).count(),
        Objective.objects.filter(plan__is_template=True).count(),
        ObjectiveKPI.objects.filter(objective__plan__is_template=True).count(),
        PlaybookTask.objects.filter(plan__is_template=True).count(),
    ]
    call_command("seed_demo", password="demo-secret-2", stdout=StringIO())
    assert counts == [
        SuccessPlan.objects.filter(is_template=True).count(),
        Objective.objects.filter(plan__is_template=True).count(),
        ObjectiveKPI.objects.filter(objective__plan__is_template=True).count(),
        PlaybookTask.objects.filter(plan__is_template=True).count(),
    ]
    template.refresh_from_db()
    assert template.description == "Our own words."  # matched by name, left as edited


def test_the_templates_show_in_the_picker_and_the_filter_only(seeded, client_for):
    client = client_for("csm")
    picker = client.get(reverse("successplans:template-picker")).text
    plans = reverse("successplans:plan-list")
    listed = [p.name for p in client.get(plans).context["page"]]
    filtered = [p.name for p in client.get(plans, {"is_template": "yes"}).context["page"]]
    tracker = client.get(reverse("successplans:tracker"), {"start": "2026-01-01"}).text
    for name in NAMES:
        assert name in picker
        assert name not in listed
        assert name in filtered
        assert name not in tracker
