"""Admin pages for every success plan object, and the demo data seed_demo adds."""

from io import StringIO

import pytest
from django.core.management import call_command

from successplans.models import BusinessChallenge
from successplans.models import ChallengeCategory
from successplans.models import CSActivity
from successplans.models import KPIValue
from successplans.models import ObjectiveKPI
from successplans.models import PlaybookTask
from successplans.models import RecordType
from successplans.models import SuccessPlan
from tests.factories import UserFactory

ADMIN_PAGES = [
    "successplan",
    "objective",
    "objectivekpi",
    "kpivalue",
    "playbook",
    "playbooktask",
    "businesschallenge",
    "challengecategory",
    "csactivity",
    "recordtype",
]


@pytest.fixture
def seeded(seeded_demo):
    """The demo, seeded once for the module (see ``seeded_demo``)."""


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_every_object_is_managed_in_the_admin(admin_client, seeded, model):
    url = f"/admin/successplans/{model}/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "a"}).status_code == 200


def test_a_plan_change_page_shows_its_children_inline(admin_client, seeded):
    plan = SuccessPlan.objects.filter(is_template=False).first()
    response = admin_client.get(f"/admin/successplans/successplan/{plan.pk}/change/")
    assert response.status_code == 200
    assert "Reach broad daily adoption" in response.text


def test_a_record_type_field_set_is_edited_as_checkboxes(admin_client, db):
    response = admin_client.post(
        "/admin/successplans/recordtype/add/",
        {
            "object_type": "objective",
            "name": "Executive objective",
            "field_set": ["description", "resource"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert RecordType.objects.get(name="Executive objective").field_set == [
        "description",
        "resource",
    ]


def test_a_field_set_cannot_name_fields_of_another_object(admin_client, db):
    response = admin_client.post(
        "/admin/successplans/recordtype/add/",
        {"object_type": "cs_activity", "name": "Bad", "field_set": ["resources"], "active": "on"},
    )
    assert response.status_code == 200
    assert "Not optional fields of this object: resources." in response.text
    assert not RecordType.objects.filter(name="Bad").exists()


def test_the_kpi_history_is_read_only_in_the_admin(admin_client, seeded):
    value = KPIValue.objects.select_related("kpi").exclude(value=None).first()
    url = f"/admin/successplans/kpivalue/{value.pk}/change/"
    before = value.value

    page = admin_client.get(url)
    assert page.status_code == 200
    assert "View KPI value" in page.text  # the view-only page, not "Change KPI value"
    assert f'<div class="readonly">{value.value}</div>' in page.text
    assert 'name="value"' not in page.text and 'name="_save"' not in page.text

    # A complete, valid change form is refused all the same.
    form = {"kpi": value.kpi_id, "value": "1234", "recorded_by": value.recorded_by_id}
    assert admin_client.post(url, form).status_code == 403
    value.refresh_from_db()
    assert value.value == before
    assert admin_client.get("/admin/successplans/kpivalue/add/").status_code == 403


def test_seed_demo_adds_plans_with_every_badge_and_record_types(seeded):
    live = SuccessPlan.objects.filter(is_template=False)
    assert live.values("account").distinct().count() >= 3
    assert {str(kpi.badge) for kpi in ObjectiveKPI.objects.all()} == {
        "Completed",
        "In Progress",
        "Overdue",
        "Not Available",
        "Blocked",
    }
    assert PlaybookTask.objects.filter(playbook__isnull=True).exists()
    assert PlaybookTask.objects.filter(resources__isnull=False).exists()
    assert BusinessChallenge.objects.count() >= 4
    assert CSActivity.objects.exists()
    assert KPIValue.objects.exists()
    assert RecordType.objects.filter(object_type="success_plan").count() >= 2
    assert ChallengeCategory.objects.count() >= 5


def test_seed_demo_twice_adds_no_copies(seeded):
    counts = (SuccessPlan.objects.count(), ObjectiveKPI.objects.count(), RecordType.objects.count())
    call_command("seed_demo", password="demo-secret-2", stdout=StringIO())
    assert counts == (
        SuccessPlan.objects.count(),
        ObjectiveKPI.objects.count(),
        RecordType.objects.count(),
    )


def test_the_admin_leaves_a_plans_effective_date_and_a_kpis_current_to_the_services(
    admin_client, seeded
):
    """Both have side effects only their services write (children moved, KPI history)."""
    kpi = ObjectiveKPI.objects.select_related("objective__plan").exclude(current=None).first()
    plan = kpi.objective.plan

    plan_page = admin_client.get(f"/admin/successplans/successplan/{plan.pk}/change/")
    assert plan_page.status_code == 200
    assert 'name="effective_date"' not in plan_page.text
    assert 'name="name"' in plan_page.text  # the rest stays editable
    assert 'name="effective_date"' in admin_client.get("/admin/successplans/successplan/add/").text

    kpi_page = admin_client.get(f"/admin/successplans/objectivekpi/{kpi.pk}/change/")
    assert kpi_page.status_code == 200
    assert 'name="current"' not in kpi_page.text and 'name="target"' in kpi_page.text
    objective_page = admin_client.get(f"/admin/successplans/objective/{kpi.objective_id}/change/")
    assert 'name="kpis-0-current"' not in objective_page.text
    assert 'name="kpis-0-target"' in objective_page.text
