from datetime import date
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from engagements.models import Engagement
from playbooks import selectors
from playbooks import services
from playbooks.models import SuccessCase
from tests.conftest import ROLE_FIXTURES
from tests.factories import AccountFactory
from tests.factories import EngagementFactory


@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_gets_its_workspace(client_for, who):
    response = client_for(who).get("/")
    assert response.status_code == 200
    assert "My work" in response.text


def test_it_lists_my_open_engagements_and_accounts_only(client_for, agent):
    mine = AccountFactory(name="Mine Inc", owner=agent)
    EngagementFactory(account=mine, name="My open one", owner=agent)
    EngagementFactory(name="My closed one", owner=agent, state=Engagement.State.CLOSED)
    EngagementFactory(name="Not mine")
    response = client_for("agent").get("/")
    names = [e.name for e in response.context["engagements"]]
    assert names == ["My open one"]
    assert [a.name for a in response.context["accounts"]] == ["Mine Inc"]


def test_a_user_without_role_is_told_why(client_for):
    response = client_for("no_role_user").get("/")
    assert response.status_code == 403
    assert "no SuccessHub role" in response.text


# -- My open success cases (assigned to me) and the cases I am in the squad of -------------------
def _open_cases(other_agent, agent, ends: dict[str, str]) -> dict[str, SuccessCase]:
    """Open cases of ``other_agent`` with these planned ends; ``agent`` is assigned to the ones
    named "mine …", in the squad of "squad …", in both for "both …", and neither otherwise."""
    made = {}
    for name, end in ends.items():
        case = services.success_case_create(engagement=EngagementFactory(), user=other_agent).case
        SuccessCase.objects.filter(pk=case.pk).update(
            planned_end=date.fromisoformat(end),
            short_description=name,
            assigned_to=agent if name.startswith(("mine", "both")) else other_agent,
        )
        if name.startswith(("squad", "both")):
            case.squad.add(agent)
        made[name] = case
    return made


ENDS = {
    "squad 1": "2026-03-02",
    "mine 1": "2026-03-01",
    "neither": "2026-02-01",
    "both": "2026-03-03",
    "squad 2": "2026-03-05",
    "mine 2": "2026-03-04",
}


@pytest.mark.parametrize("many_squads", [1000, 1], ids=["from-my-squads", "open-cases-in-order"])
def test_my_cases_are_assigned_and_the_squad_panel_has_the_others_soonest_end_first(
    client_for, agent, other_agent, monkeypatch, many_squads
):
    """Both ways of reading the squad's cases (``selectors.MANY_SQUADS``) give the same cases,
    and a case I am assigned to and in the squad of is listed once, as mine."""
    monkeypatch.setattr(selectors, "MANY_SQUADS", many_squads)
    made = _open_cases(other_agent, agent, ENDS)
    closed = made.pop("neither")
    SuccessCase.objects.filter(pk=closed.pk).update(  # mine, but canceled
        assigned_to=agent,
        phase="canceled",
        playbook_state="canceled",
        cancel_reason="Gone.",
        closed_at=timezone.now(),
    )
    response = client_for("agent").get("/")
    mine = [c.short_description for c in response.context["my_cases"]]
    squad = [c.short_description for c in response.context["squad_cases"]]
    assert mine == ["mine 1", "both", "mine 2"]
    assert squad == ["squad 1", "squad 2"]


@pytest.mark.parametrize("many_squads", [1000, 1], ids=["from-my-squads", "open-cases-in-order"])
def test_the_squad_panel_pages(client_for, agent, other_agent, monkeypatch, many_squads):
    monkeypatch.setattr(selectors, "MANY_SQUADS", many_squads)
    ends = {f"squad {i:02d}": f"2026-04-{i + 1:02d}" for i in range(13)}
    _open_cases(other_agent, agent, ends)
    client = client_for("agent")
    first, second = (
        client.get("/").context["squad_cases"],
        client.get("/?squad_page=2").context["squad_cases"],
    )
    assert [c.short_description for c in [*first, *second]] == sorted(ends)
    assert first.has_next and not second.has_next


def test_my_cases_show_phase_current_activity_and_age(client_for, agent):
    case = services.success_case_create(engagement=EngagementFactory(), user=agent).case
    SuccessCase.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=3))
    response = client_for("agent").get("/")
    [shown] = response.context["my_cases"]
    assert shown.current_activity == "Enter core information"
    assert shown.age_days == 3
    assert f'href="{case.get_absolute_url()}"' in response.text
    assert "3 days" in response.text


@pytest.mark.parametrize("many_squads", [1000, 1], ids=["from-my-squads", "open-cases-in-order"])
def test_the_squad_cases_query_reads_along_an_index(agent, other_agent, monkeypatch, many_squads):
    """SQLite: the partial indexes of open cases serve the query (no scan of every case)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan")
    monkeypatch.setattr(selectors, "MANY_SQUADS", many_squads)
    _open_cases(other_agent, agent, {"squad": "2026-03-02"})
    for query, index in [
        (selectors.my_squad_cases(agent), "case_open_planned" if many_squads == 1 else None),
        (selectors.my_open_cases(agent), "case_open_assignee"),
    ]:
        sql, params = query[:11].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = [row[-1] for row in cursor.fetchall()]
        scans = [step for step in plan if step.startswith("SCAN playbooks_successcase")]
        assert all("USING" in step for step in scans), plan
        assert index is None or any(index in step for step in plan), plan


def test_the_open_tasks_query_reads_along_its_index(agent):
    """SQLite: the user's open tasks along ``task_open_assignee``, in order (no sort)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan")
    sql, params = selectors.my_open_tasks(agent)[:11].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("USING INDEX task_open_assignee" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
