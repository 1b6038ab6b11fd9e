"""Change what changes (issue 12, item 10): after core information the assignee and squad
edit the case's fields and hand it to another Success Agent; any Success Agent joins or
leaves the squad of an open case; every change is journaled from -> to."""

import pytest

from core.events import listens
from playbooks import services
from playbooks.models import JournalEntry
from tests.factories import UserFactory

from .conftest import work_until


@pytest.fixture
def worked_case(agent, open_case):
    """Core information entered (short description, priority High), at Add squad."""
    work_until(open_case, agent, "Add squad")
    open_case.refresh_from_db()
    return open_case


def edit_data(case, **changes):
    data = {
        "short_description": case.short_description,
        "description": case.description,
        "priority": case.priority,
        "assigned_to": case.assigned_to_id,
        "planned_start": "",
        "planned_end": "",
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


def change(case, field):
    entry = JournalEntry.objects.filter(case=case, field=field).latest("pk")
    return entry.old_value, entry.new_value


def test_the_assignee_edits_the_fields(client_for, worked_case):
    client = client_for("agent")
    url = f"/cases/{worked_case.number}/edit/"
    assert 'href="' + url + '"' in client.get(worked_case.get_absolute_url()).text
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(worked_case, short_description="Go live", priority=1))
    assert response.status_code == 302
    worked_case.refresh_from_db()
    assert (worked_case.short_description, worked_case.priority) == ("Go live", 1)
    assert change(worked_case, "Short description") == (
        "Drive adoption of the warehouse module",
        "Go live",
    )
    assert change(worked_case, "Priority") == ("2 - High", "1 - Critical")


def test_it_hands_the_case_to_another_success_agent(client_for, agent, other_agent, worked_case):
    heard = []

    @listens("case.assigned")
    def hear(name, **data):
        heard.append(data)

    client_for("agent").post(
        f"/cases/{worked_case.number}/edit/", edit_data(worked_case, assigned_to=other_agent.pk)
    )
    worked_case.refresh_from_db()
    assert worked_case.assigned_to == other_agent
    assert change(worked_case, "Assigned to") == (
        agent.get_full_name() or agent.username,
        other_agent.get_full_name() or other_agent.username,
    )
    assert {"case_id": worked_case.pk, "assignee_id": other_agent.pk}.items() <= heard[-1].items()


def test_it_refuses_a_user_without_the_success_agent_role(client_for, agent, csm, worked_case):
    before = JournalEntry.objects.count()
    response = client_for("agent").post(
        f"/cases/{worked_case.number}/edit/", edit_data(worked_case, assigned_to=csm.pk)
    )
    assert response.status_code == 200
    assert "Choose a Success Agent from the list." in response.text
    with pytest.raises(services.DomainError, match="is not a Success Agent"):
        services.success_case_edit(
            case_pk=worked_case.pk, user=worked_case.assigned_to, data={"assigned_to": csm}
        )
    worked_case.refresh_from_db()
    assert worked_case.assigned_to == agent
    assert JournalEntry.objects.count() == before


def test_bad_input_is_told_next_to_the_field(client_for, worked_case):
    response = client_for("agent").post(
        f"/cases/{worked_case.number}/edit/",
        edit_data(
            worked_case, short_description="", planned_start="2026-05-02", planned_end="2026-05-01"
        ),
    )
    assert "This field is required." in response.text
    assert "The planned end cannot be before the planned start." in response.text


def test_before_core_information_the_page_sends_back(client_for, open_case):
    response = client_for("agent").get(f"/cases/{open_case.number}/edit/", follow=True)
    assert "edited in Enter core information for now" in response.text
    assert f'href="/cases/{open_case.number}/edit/"' not in response.text


@pytest.mark.parametrize("who", ["other_agent", "csm", "participant", "manager"])
def test_others_may_not_edit(client_for, worked_case, who):
    client = client_for(who)
    url = f"/cases/{worked_case.number}/edit/"
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(worked_case, short_description="x")).status_code == 403
    worked_case.refresh_from_db()
    assert worked_case.short_description != "x"


def test_any_success_agent_joins_and_leaves_the_squad(client_for, agent, other_agent, worked_case):
    client = client_for("other_agent")
    page = client.get(worked_case.get_absolute_url()).text
    assert "Join squad</button>" in page and "Mark Complete</button>" not in page
    response = client.post(f"/cases/{worked_case.number}/squad/join/", follow=True)
    assert f"You joined the squad of {worked_case.number}." in response.text
    assert other_agent in worked_case.squad.all()
    assert "Leave squad</button>" in response.text and "Mark Complete</button>" in response.text
    assert change(worked_case, "Squad")[1].endswith(other_agent.get_full_name())
    response = client.post(f"/cases/{worked_case.number}/squad/join/", follow=True)
    assert "You are already in the squad" in response.text
    client.post(f"/cases/{worked_case.number}/squad/leave/")
    assert other_agent not in worked_case.squad.all()
    assert other_agent.get_full_name() in change(worked_case, "Squad")[0]


@pytest.mark.parametrize("who", ["csm", "participant", "manager"])
def test_other_roles_may_not_join(client_for, worked_case, who):
    before = worked_case.squad.count()
    client = client_for(who)
    assert client.post(f"/cases/{worked_case.number}/squad/join/").status_code == 403
    assert "Join squad</button>" not in client.get(worked_case.get_absolute_url()).text
    assert worked_case.squad.count() == before


def test_a_closed_case_squad_cannot_change(client_for, other_agent, closed_case):
    response = client_for("other_agent").post(
        f"/cases/{closed_case.number}/squad/join/", follow=True
    )
    assert f"{closed_case.number} is closed; it can no longer change." in response.text
    assert other_agent not in closed_case.squad.all()


def test_the_agents_lookup_finds_only_success_agents(client_for, db):
    UserFactory(username="zed-csm", first_name="Zed", last_name="Csm", roles=["Customer Success"])
    UserFactory(username="zed-agent", first_name="Zed", last_name="Agent", roles=["Success Agent"])
    response = client_for("agent").get("/search/success-agents/", {"q": "zed"})
    assert "Zed Agent" in response.text and "Zed Csm" not in response.text
