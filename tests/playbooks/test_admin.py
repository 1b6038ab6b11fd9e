"""The success case admin: lists with search, read-only state machines and journal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin as django_admin
from django.utils import timezone

from playbooks import services
from playbooks.models import ActivityDefinition
from playbooks.models import CaseActivity
from playbooks.models import CaseTask
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import Phase
from playbooks.models import SuccessCase
from tests.factories import EngagementFactory
from tests.factories import SuccessCaseFactory
from tests.factories import UserFactory
from tests.factories import complete_activity
from tests.factories import work_case_until


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def case(agent) -> SuccessCase:
    """A case in Assist with a meeting and a task, on a Northwind engagement."""
    case = SuccessCaseFactory(
        user=agent, engagement=EngagementFactory(name="Warehouse module adoption")
    )
    case.engagement.account.name = "Northwind Traders"
    case.engagement.account.save()
    work_case_until(case, agent, "Related meeting")
    start = timezone.now() + timedelta(days=1)
    services.meeting_create(
        case_pk=case.pk,
        user=agent,
        data={"subject": "Kickoff", "start": start, "end": start + timedelta(hours=1)},
    )
    services.task_create(
        case_pk=case.pk, user=agent, data={"short_description": "Train the warehouse leads"}
    )
    case.refresh_from_db()
    return case


def rows(response) -> list:
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("url", "search"),
    [
        ("/admin/playbooks/successcase/", "northwind"),
        ("/admin/playbooks/successcase/", "SCS0001001"),
        ("/admin/playbooks/successcase/", "warehouse module"),
        ("/admin/playbooks/meeting/", "kickoff"),
        ("/admin/playbooks/casetask/", "SCTASK0001001"),
        ("/admin/playbooks/closurecode/", "outcome"),
        ("/admin/playbooks/activitydefinition/", "squad"),
        ("/admin/playbooks/journalentry/", "SCS0001001"),
    ],
)
def test_each_list_opens_and_searches(admin_client, case, url, search):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert rows(response)
    response = admin_client.get(url, {"q": search})
    assert response.status_code == 200
    assert rows(response), f"nothing found for {search!r}"
    assert admin_client.get(url, {"q": "no such thing anywhere"}).status_code == 200


def test_the_case_list_shows_the_account_and_filters_by_phase(admin_client, case):
    response = admin_client.get("/admin/playbooks/successcase/", {"phase__exact": "assist"})
    assert rows(response) == [case]
    assert "Northwind Traders" in response.text
    response = admin_client.get("/admin/playbooks/successcase/", {"phase__exact": "closed"})
    assert rows(response) == []


def test_the_playbook_definition_lists_lanes_in_playbook_order(admin_client):
    response = admin_client.get("/admin/playbooks/activitydefinition/")
    phases = [d.phase for d in rows(response)]
    assert phases == sorted(phases, key=[Phase.INITIATE, Phase.ASSIST, Phase.REVIEW_CLOSE].index)
    assert rows(response)[0].name == "Select engagement"


def changelist_post(definitions, **changes) -> dict:
    """The changelist form's POST data, with ``changes`` by row index."""
    data = {
        "form-TOTAL_FORMS": str(len(definitions)),
        "form-INITIAL_FORMS": str(len(definitions)),
        "_save": "Save",
    }
    for index, definition in enumerate(definitions):
        data[f"form-{index}-id"] = str(definition.pk)
        data[f"form-{index}-order"] = str(definition.order)
        if definition.active:
            data[f"form-{index}-active"] = "on"
    for key, value in changes.items():
        data[key] = value
    return data


def test_the_playbook_order_is_edited_in_the_list_and_a_taken_position_is_refused(
    admin_client,
):
    url = "/admin/playbooks/activitydefinition/"
    definitions = list(rows(admin_client.get(url)))
    squad = definitions.index(ActivityDefinition.objects.get(name="Add squad"))
    response = admin_client.post(url, changelist_post(definitions, **{f"form-{squad}-order": "7"}))
    assert response.status_code == 302
    assert ActivityDefinition.objects.get(name="Add squad").order == 7
    # Position 1 of Initiate is Select engagement's: refused, not a database error.
    definitions = list(rows(admin_client.get(url)))
    squad = definitions.index(ActivityDefinition.objects.get(name="Add squad"))
    response = admin_client.post(url, changelist_post(definitions, **{f"form-{squad}-order": "1"}))
    assert response.status_code == 200
    assert "already has “Select engagement” at position 1" in response.text
    assert ActivityDefinition.objects.get(name="Add squad").order == 7


def test_closure_codes_are_ordered_and_retired_in_the_list(admin_client):
    url = "/admin/playbooks/closurecode/"
    codes = list(rows(admin_client.get(url)))
    data = changelist_post(codes, **{"form-0-order": "40"})
    del data["form-1-active"]
    assert admin_client.post(url, data).status_code == 302
    assert ClosureCode.objects.get(pk=codes[0].pk).order == 40
    assert ClosureCode.objects.get(pk=codes[1].pk).active is False


# -- protected fields ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [(SuccessCase, "phase"), (Meeting, "state"), (CaseTask, "state")],
)
def test_state_machine_fields_are_read_only(admin_client, case, model, field):
    obj = model.objects.get(case=case) if model is not SuccessCase else case
    url = f"/admin/playbooks/{model._meta.model_name}/{obj.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert field not in form.fields
    assert field in response.context["adminform"].readonly_fields


def test_the_case_page_shows_the_playbook_read_only(admin_client, case):
    response = admin_client.get(f"/admin/playbooks/successcase/{case.pk}/change/")
    assert response.status_code == 200
    (activities,) = [f for f in response.context["inline_admin_formsets"]]
    assert activities.formset.model is CaseActivity
    assert activities.has_change_permission is False
    assert activities.has_add_permission is False
    assert activities.has_delete_permission is False
    assert "Related meeting" in response.text


def test_cases_meetings_and_tasks_are_not_added_or_deleted_here(admin_client, case):
    for model in (SuccessCase, Meeting, CaseTask):
        name = model._meta.model_name
        assert admin_client.get(f"/admin/playbooks/{name}/add/").status_code == 403
        obj = case if model is SuccessCase else model.objects.get(case=case)
        response = admin_client.post(f"/admin/playbooks/{name}/{obj.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()


def test_an_admin_edit_of_a_case_is_journaled(admin_client, case, agent, csm):
    url = f"/admin/playbooks/successcase/{case.pk}/change/"
    response = admin_client.get(url)
    data = {
        key: value
        for key, value in response.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(
        {
            "short_description": "Adoption push, phase two",
            "priority": "1",
            "assigned_to": str(agent.pk),
            "squad": [str(agent.pk), str(csm.pk)],
            "phase": "closed",  # read-only: ignored
        }
    )
    # The read-only playbook inline posts only its management form and ids.
    activities = list(case.activities.order_by("position"))
    data["activities-TOTAL_FORMS"] = data["activities-INITIAL_FORMS"] = str(len(activities))
    for index, activity in enumerate(activities):
        data[f"activities-{index}-id"] = str(activity.pk)
        data[f"activities-{index}-case"] = str(case.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.phase == Phase.ASSIST
    assert case.short_description == "Adoption push, phase two"
    root = UserFactory(username="root")
    journal = JournalEntry.objects.filter(case=case, author=root)
    assert {(j.field, j.new_value) for j in journal} == {
        ("Short description", "Adoption push, phase two"),
        ("Priority", "1 - Critical"),
        ("Squad", ", ".join(sorted([agent.get_full_name(), csm.get_full_name()]))),
    }


def test_an_admin_edit_of_a_meeting_or_task_is_journaled(admin_client, case):
    meeting = Meeting.objects.get(case=case)
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    response = admin_client.post(
        f"/admin/playbooks/meeting/{meeting.pk}/change/",
        {
            "subject": "Kickoff",
            "start_0": start.date().isoformat(),
            "start_1": start.strftime("%H:%M:%S"),
            "end_0": end.date().isoformat(),
            "end_1": end.strftime("%H:%M:%S"),
            "location": "Room 4",
            "state": "complete",  # read-only: ignored
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    task = CaseTask.objects.get(case=case)
    response = admin_client.post(
        f"/admin/playbooks/casetask/{task.pk}/change/",
        {"short_description": "Train the shift leads", "priority": "3"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert (meeting.location, meeting.state) == ("Room 4", "draft")
    changed = JournalEntry.objects.filter(case=case, author__username="root")
    assert {(j.field, j.old_value, j.new_value) for j in changed} == {
        ("Meeting Kickoff location", "—", "Room 4"),
        (
            "SCTASK0001001 short description",
            "Train the warehouse leads",
            "Train the shift leads",
        ),
    }


def test_a_closed_case_is_read_only_in_the_admin(admin_client, agent):
    case = SuccessCaseFactory(user=agent)
    work_case_until(case, agent)
    services.success_case_close(case_pk=case.pk, user=agent)
    url = f"/admin/playbooks/successcase/{case.pk}/change/"
    assert admin_client.get(url).status_code == 200  # view only
    response = admin_client.post(url, {"short_description": "Rewritten"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.short_description == "Drive adoption of the warehouse module"


# -- the journal ---------------------------------------------------------------------------


def test_the_journal_can_be_read_but_not_added_changed_or_deleted(admin_client, agent):
    case = SuccessCaseFactory(user=agent)
    work_case_until(case, agent, "Define the action plan")
    complete_activity(case, agent, {"text": "Weekly usage review with the leads."})
    entry = JournalEntry.objects.get(case=case, kind=JournalEntry.Kind.WORK_NOTE)
    count = JournalEntry.objects.count()
    change_url = f"/admin/playbooks/journalentry/{entry.pk}/change/"

    response = admin_client.get(change_url)
    assert response.status_code == 200  # view only
    assert "Weekly usage review with the leads." in response.text
    assert admin_client.get("/admin/playbooks/journalentry/add/").status_code == 403
    response = admin_client.post(
        change_url,
        {"kind": "comment", "body": "Rewritten history", "author": agent.pk, "case": case.pk},
    )
    assert response.status_code == 403
    response = admin_client.post(
        f"/admin/playbooks/journalentry/{entry.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    response = admin_client.post(
        "/admin/playbooks/journalentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert JournalEntry.objects.count() == count
    entry.refresh_from_db()
    assert (entry.kind, entry.body) == ("work_note", "Weekly usage review with the leads.")


def test_the_journal_admin_refuses_every_change_even_to_superusers(rf, db):
    model_admin = django_admin.site._registry[JournalEntry]
    request = rf.get("/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_the_playbook_and_closure_codes_are_maintained_here(admin_client):
    version = services.playbook_version_current().pk
    for url in [
        "/admin/playbooks/activitydefinition/add/",
        f"/admin/playbooks/activitydefinition/{ActivityDefinition.objects.first().pk}/change/",
        "/admin/playbooks/closurecode/add/",
    ]:
        assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        "/admin/playbooks/activitydefinition/add/",
        {"version": version, "phase": "assist", "order": "5", "name": "Health check"}
        | {"kind": "work_note"},
    )
    assert response.status_code == 302
    added = ActivityDefinition.objects.get(name="Health check")
    assert (added.phase, added.order, added.kind) == ("assist", 5, "work_note")
    response = admin_client.post(
        "/admin/playbooks/activitydefinition/add/",
        {"version": version, "phase": "assist", "order": "5", "name": "Twin", "kind": "comment"},
    )
    assert response.status_code == 200  # the lane already has position 5
    assert "Activity definition with this Version, Phase and Order already exists." in response.text
    assert not ActivityDefinition.objects.filter(name="Twin").exists()
