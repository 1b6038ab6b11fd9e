"""CS activities: calls, emails and meetings logged against a plan, in the Related tab."""

from datetime import date

import pytest
from django.urls import reverse

from successplans.models import CSActivity
from successplans.models import RecordType
from tests.successplans.factories import CSActivityFactory
from tests.successplans.factories import RecordTypeFactory
from tests.successplans.factories import SuccessPlanFactory

VIEW_ONLY = ["participant", "agent", "manager"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(db):
    return SuccessPlanFactory()


@pytest.fixture
def activity(plan, participant):
    return CSActivityFactory(plan=plan, subject="Kick-off call", who=participant)


def new_url(plan) -> str:
    return reverse("successplans:activity-new", args=[plan.pk])


def data(**overrides) -> dict:
    values = {"type": "email", "date": "2026-02-03", "subject": "Sent the agenda", "notes": ""}
    values.update(overrides)
    return values


def test_it_logs_an_activity_as_the_signed_in_user(client_for, csm, plan):
    response = client_for("csm").post(new_url(plan), data())
    assert response["Location"] == f"/plans/{plan.pk}/?tab=related"
    activity = CSActivity.objects.get(plan=plan)
    assert (activity.type, activity.date, activity.who) == ("email", date(2026, 2, 3), csm)


def test_it_logs_in_place_and_the_row_appears(client_for, csm, plan):
    client = client_for("csm")
    assert 'hx-target="#related-activities"' in client.get(new_url(plan), **HTMX).text
    response = client.post(new_url(plan), data(), **HTMX)
    assert 'id="related-activities"' in response.text
    assert "Sent the agenda" in response.text and csm.get_full_name() in response.text
    assert CSActivity.objects.filter(plan=plan).count() == 1


def test_it_needs_a_subject_and_a_date(client_for, plan):
    response = client_for("csm").post(new_url(plan), data(subject="", date="soon"), **HTMX)
    assert "This field is required." in response.text
    assert "Enter a valid date." in response.text
    assert not CSActivity.objects.exists()


def test_a_record_type_without_notes_hides_them(client_for, plan):
    record_type = RecordTypeFactory(object_type=RecordType.ObjectType.CS_ACTIVITY, field_set=[])
    client = client_for("csm")
    text = client.get(new_url(plan), {"record_type": record_type.pk}).text
    assert 'name="subject"' in text and 'name="notes"' not in text
    client.post(new_url(plan), {**data(), "record_type": record_type.pk})
    assert CSActivity.objects.get(plan=plan).record_type == record_type


def test_editing_keeps_who_logged_it(client_for, activity, participant):
    url = reverse("successplans:activity-edit", args=[activity.pk])
    client_for("csm").post(url, data(subject="Kick-off meeting", type="meeting"), **HTMX)
    activity.refresh_from_db()
    assert (activity.subject, activity.type, activity.who) == (
        "Kick-off meeting",
        "meeting",
        participant,
    )


def test_it_deletes_in_place_after_asking(client_for, activity):
    url = reverse("successplans:activity-delete", args=[activity.pk])
    client = client_for("csm")
    assert "Delete Call: Kick-off call?" in client.get(url, **HTMX).text
    response = client.post(url, **HTMX)
    assert not CSActivity.objects.filter(pk=activity.pk).exists()
    assert "CS Activities (0)" in response.text


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_it_refuses_view_only_roles(client_for, activity, who):
    client = client_for(who)
    edit = reverse("successplans:activity-edit", args=[activity.pk])
    delete = reverse("successplans:activity-delete", args=[activity.pk])
    for url in (new_url(activity.plan), edit, delete):
        assert client.get(url).status_code == 403
    assert client.post(new_url(activity.plan), data()).status_code == 403
    assert client.post(edit, data(subject="Hacked")).status_code == 403
    assert client.post(delete, **HTMX).status_code == 403
    assert list(CSActivity.objects.values_list("subject", flat=True)) == ["Kick-off call"]


def test_it_refuses_a_user_without_role(client_for, plan):
    assert client_for("no_role_user").post(new_url(plan), data()).status_code == 403
    assert not CSActivity.objects.exists()


def test_it_sends_strangers_to_login(client_for, plan):
    assert client_for(None).get(new_url(plan)).url.startswith("/login/?next=")
