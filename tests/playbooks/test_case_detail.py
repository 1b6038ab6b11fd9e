import pytest

from playbooks import services
from playbooks.models import JournalEntry
from tests.conftest import ROLE_FIXTURES
from tests.factories import UserFactory

from .conftest import complete_current
from .conftest import work_until


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_reads_the_case(client_for, open_case, who):
    response = client_for(who).get(open_case.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert open_case.number in html
    for lane in ("Initiate", "Assist", "Review &amp; Close"):
        assert lane in html
    assert "Enter core information" in html


def test_the_assignee_gets_the_open_activity_form(client_for, open_case):
    html = client_for("agent").get(open_case.get_absolute_url()).text
    assert "Mark Complete</button>" in html
    assert ">Cancel</a>" in html


@pytest.mark.parametrize("who", ["csm", "participant", "manager"])
def test_read_only_roles_get_no_controls(client_for, open_case, who):
    html = client_for(who).get(open_case.get_absolute_url()).text
    assert "Mark Complete</button>" not in html
    assert ">Cancel</a>" not in html
    assert "Read-only" in html


def test_another_agent_reads_but_cannot_work(client_for, open_case, db):
    from core.roles import Role

    other = UserFactory(username="other-agent", roles=[Role.SUCCESS_AGENT])
    client = client_for(None)
    client.force_login(other)
    html = client.get(open_case.get_absolute_url()).text
    assert "Mark Complete</button>" not in html
    assert "only the assigned agent and the squad work this case" in html


def test_the_activity_stream_shows_comments_work_notes_and_changes(client_for, agent, open_case):
    work_until(open_case, agent, "Define the action plan")
    complete_current(open_case, agent, text="Internal: call the CFO first.")
    html = client_for("csm").get(open_case.get_absolute_url()).text
    assert "We expect 80% weekly active users." in html
    assert "Internal: call the CFO first." in html
    assert "Comment — customer visible" in html and "Work note — internal" in html
    assert "Initiate → Assist" in html


def test_a_closed_case_is_read_only(client_for, closed_case):
    html = client_for("agent").get(closed_case.get_absolute_url()).text
    assert 'data-testid="case-state">Closed<' in html
    assert 'data-testid="case-progress">Completed<' in html
    assert "read-only" in html
    assert "Mark Complete</button>" not in html
    assert "Close success case</button>" not in html


@pytest.mark.parametrize("size", [1, 8])
def test_query_count_does_not_grow(
    client_for, agent, open_case, django_assert_max_num_queries, size
):
    work_until(open_case, agent, "Related meeting")
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now()
    for i in range(size):
        services.meeting_create(
            case_pk=open_case.pk,
            user=agent,
            data={"subject": f"Meeting {i}", "start": start, "end": start + timedelta(hours=1)},
            schedule=True,
        )
        services.task_create(case_pk=open_case.pk, user=agent, data={"short_description": f"T{i}"})
        JournalEntry.objects.create(
            case=open_case, author=agent, kind=JournalEntry.Kind.WORK_NOTE, body=f"note {i}"
        )
    client = client_for("agent")
    with django_assert_max_num_queries(12):
        response = client.get(open_case.get_absolute_url())
    assert response.status_code == 200
    assert f"Meeting {size - 1}" in response.text
