"""Success cases shown on the home page, the account page and the engagement page."""

import pytest

from playbooks import services
from playbooks.models import TaskState
from tests.factories import EngagementFactory

from .conftest import work_until


def test_home_lists_my_open_cases_and_tasks(client_for, agent, open_case):
    work_until(open_case, agent, "Related work")
    task = services.task_create(
        case_pk=open_case.pk,
        user=agent,
        data={"short_description": "Train the floor leads", "assigned_to": agent},
    )
    done = services.task_create(
        case_pk=open_case.pk, user=agent, data={"short_description": "Done", "assigned_to": agent}
    )
    services.record_transition(case_pk=open_case.pk, user=agent, record=done, name="complete")
    response = client_for("agent").get("/")
    assert [c.number for c in response.context["my_cases"]] == [open_case.number]
    assert [t.number for t in response.context["my_tasks"]] == [task.number]
    assert done.number not in response.text
    assert type(done).objects.get(pk=done.pk).state == TaskState.COMPLETE


def test_home_leaves_out_closed_cases_and_others_cases(client_for, agent, closed_case, csm):
    assert list(client_for("agent").get("/").context["my_cases"]) == []
    assert "my_cases" not in client_for("csm").get("/").context  # no agent panels


def test_the_account_page_lists_its_success_cases(client_for, open_case):
    other = services.success_case_create(
        engagement=EngagementFactory(), user=open_case.assigned_to
    ).case
    response = client_for("participant").get(open_case.engagement.account.get_absolute_url())
    assert [c.number for c in response.context["cases"]] == [open_case.number]
    assert other.number not in response.text


def test_the_engagement_page_offers_new_success_case_to_agents_only(client_for, open_case):
    url = open_case.engagement.get_absolute_url()
    agent_html = client_for("agent").get(url).text
    assert f"/cases/new/?engagement={open_case.engagement_id}" in agent_html
    assert open_case.number in agent_html
    assert "/cases/new/?engagement=" not in client_for("manager").get(url).text


def test_new_success_case_from_an_engagement_preselects_it(client_for, engagement):
    html = client_for("agent").get(f"/cases/new/?engagement={engagement.pk}").text
    # The Engagement field's radios (core.widgets.SearchRadios): the engagement first, checked.
    assert f'name="engagement" value="{engagement.pk}" id="id_engagement_0" checked' in html


@pytest.mark.parametrize("cases", [1, 12])
def test_home_query_count_does_not_grow(client_for, agent, cases, django_assert_max_num_queries):
    for _ in range(cases):
        case = services.success_case_create(engagement=EngagementFactory(), user=agent).case
        services.task_create(
            case_pk=case.pk, user=agent, data={"short_description": "T", "assigned_to": agent}
        )
    client = client_for("agent")
    with django_assert_max_num_queries(13):  # My Work's agent panels (tests/successhub)
        response = client.get("/")
    assert len(response.context["my_tasks"]) == min(cases, 10)
    assert response.context["my_tasks"].has_next == (cases > 10)


def test_home_pages_each_panel_on_its_own(client_for, agent):
    made = [
        services.success_case_create(engagement=EngagementFactory(), user=agent).case
        for _ in range(12)
    ]
    client = client_for("agent")
    first = client.get("/")
    assert len(first.context["my_cases"]) == 10
    assert "?cases_page=2" in first.text
    second = client.get("/", {"cases_page": 2})
    shown = {c.number for c in first.context["my_cases"]} | {
        c.number for c in second.context["my_cases"]
    }
    assert shown == {c.number for c in made}
    assert second.context["my_tasks"].number == 1  # the other panels stay on their first page


def test_the_pages_keep_their_title(client_for, open_case):
    account = open_case.engagement.account
    html = client_for("agent").get(account.get_absolute_url()).text
    assert f"<title>{account.name} · SuccessHub</title>" in html
    html = client_for("agent").get(open_case.engagement.get_absolute_url()).text
    assert f"<title>{open_case.engagement.name} · SuccessHub</title>" in html
