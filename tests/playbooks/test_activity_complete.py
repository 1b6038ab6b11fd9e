"""Mark Complete / Send and continue, posted from the case page."""

import pytest

from playbooks.models import ActivityState
from playbooks.models import JournalEntry
from playbooks.models import Phase
from tests.factories import UserFactory

from .conftest import complete_current
from .conftest import current_activity
from .conftest import work_until


def url(case, activity) -> str:
    return f"/cases/{case.number}/activities/{activity.pk}/complete/"


def post(client, case, activity, data, **kwargs):
    prefixed = {f"a{activity.pk}-{key}": value for key, value in data.items()}
    return client.post(url(case, activity), prefixed, **kwargs)


def test_core_information_is_saved_and_journaled(client_for, agent, open_case):
    activity = current_activity(open_case)
    response = post(
        client_for("agent"),
        open_case,
        activity,
        {"short_description": "Adoption push", "priority": 1, "assigned_to": agent.pk},
    )
    assert response.status_code == 302
    open_case.refresh_from_db()
    assert open_case.short_description == "Adoption push"
    assert open_case.priority == 1
    activity.refresh_from_db()
    assert activity.state == ActivityState.COMPLETE
    assert activity.completed_by == agent
    assert current_activity(open_case).name == "Add squad"
    assert JournalEntry.objects.filter(
        case=open_case, field="Short description", new_value="Adoption push"
    ).exists()


def test_bad_core_information_is_shown_next_to_the_field_and_nothing_changes(
    client_for, agent, open_case
):
    activity = current_activity(open_case)
    before = JournalEntry.objects.count()
    response = post(
        client_for("agent"),
        open_case,
        activity,
        {
            "short_description": "",
            "priority": 9,
            "planned_start": "2026-12-01",
            "planned_end": "2026-11-01",
        },
    )
    assert response.status_code == 200
    html = response.text
    assert "This field is required." in html
    assert "Select a valid choice" in html
    assert "The planned end cannot be before the planned start." in html
    activity.refresh_from_db()
    assert activity.state == ActivityState.IN_PROGRESS
    assert JournalEntry.objects.count() == before


def test_squad_members_must_hold_an_agent_or_customer_success_role(
    client_for, agent, csm, participant, open_case
):
    complete_current(open_case, agent)
    activity = current_activity(open_case)
    client = client_for("agent")
    response = post(client, open_case, activity, {"squad": [participant.pk]})
    assert "Select a valid choice" in response.text
    response = post(client, open_case, activity, {})
    assert "Select one or more squad members." in response.text
    response = post(client, open_case, activity, {"squad": [agent.pk, csm.pk]})
    assert response.status_code == 302
    assert set(open_case.squad.all()) == {agent, csm}
    open_case.refresh_from_db()
    assert open_case.phase == Phase.ASSIST


def test_send_and_continue_adds_a_comment_then_a_work_note(client_for, agent, open_case):
    work_until(open_case, agent, "Communicate the intended outcome")
    client = client_for("agent")
    post(client, open_case, current_activity(open_case), {"text": "Outcome: 80% adoption"})
    post(client, open_case, current_activity(open_case), {"text": "Plan: train the leads"})
    kinds = dict(
        JournalEntry.objects.filter(case=open_case)
        .exclude(kind=JournalEntry.Kind.CHANGE)
        .values_list("body", "kind")
    )
    assert kinds == {
        "Outcome: 80% adoption": JournalEntry.Kind.COMMENT,
        "Plan: train the leads": JournalEntry.Kind.WORK_NOTE,
    }
    assert current_activity(open_case).name == "Related meeting"


def test_an_empty_comment_is_refused(client_for, agent, open_case):
    work_until(open_case, agent, "Communicate the intended outcome")
    response = post(client_for("agent"), open_case, current_activity(open_case), {"text": ""})
    assert "Enter a comment." in response.text
    assert current_activity(open_case).name == "Communicate the intended outcome"


def test_htmx_gets_the_new_case_body(client_for, agent, open_case):
    activity = current_activity(open_case)
    response = post(
        client_for("agent"),
        open_case,
        activity,
        {"short_description": "Adoption push", "priority": 2},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert '<div id="case-body">' in response.text
    assert "<html" not in response.text
    assert "Initiate · Add squad" in response.text


def test_a_second_press_is_told_it_is_already_complete(client_for, agent, open_case):
    activity = current_activity(open_case)
    client = client_for("agent")
    data = {"short_description": "Adoption push", "priority": 2, "assigned_to": agent.pk}
    post(client, open_case, activity, data)
    response = post(client, open_case, activity, data, follow=True)
    assert "Enter core information is already complete by" in response.text
    assert (
        JournalEntry.objects.filter(
            field="Activity: Enter core information", new_value="Complete"
        ).count()
        == 1
    )


@pytest.mark.parametrize("who", ["csm", "participant", "manager", "no_role_user"])
def test_other_roles_are_refused_and_nothing_changes(client_for, open_case, who):
    activity = current_activity(open_case)
    response = post(client_for(who), open_case, activity, {"short_description": "x", "priority": 2})
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.state == ActivityState.IN_PROGRESS


def test_an_agent_outside_the_case_is_refused(client_for, open_case):
    from core.roles import Role

    client = client_for(None)
    client.force_login(UserFactory(username="outsider", roles=[Role.SUCCESS_AGENT]))
    activity = current_activity(open_case)
    response = post(client, open_case, activity, {"short_description": "x", "priority": 2})
    assert response.status_code == 403
    open_case.refresh_from_db()
    assert open_case.short_description == ""


def test_a_squad_member_may_work_the_case(client_for, agent, csm, open_case):
    from core.roles import Role

    helper = UserFactory(username="squad-agent", roles=[Role.SUCCESS_AGENT])
    complete_current(open_case, agent)
    complete_current(open_case, agent, squad=[agent, helper])
    client = client_for(None)
    client.force_login(helper)
    response = post(client, open_case, current_activity(open_case), {"text": "From the squad"})
    assert response.status_code == 302
    assert JournalEntry.objects.filter(author=helper, body="From the squad").exists()
