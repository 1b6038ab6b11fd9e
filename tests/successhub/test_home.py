from datetime import date

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


@pytest.mark.parametrize("rows", [2, 30])
def test_query_count_does_not_grow(client_for, agent, django_assert_max_num_queries, rows):
    for account in AccountFactory.create_batch(rows, owner=agent):
        EngagementFactory(account=account, owner=agent)
    client = client_for("agent")
    # session, user, roles, accounts, engagements, 2 permission lookups, "many squads?",
    # open cases, open tasks
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


# -- My open success cases: assigned to me or in my squad ----------------------------------------
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
def test_my_open_cases_are_assigned_or_in_my_squad_soonest_end_first(
    client_for, agent, other_agent, monkeypatch, many_squads
):
    """Both ways of reading them (``selectors.MANY_SQUADS``) give the same cases, once each."""
    monkeypatch.setattr(selectors, "MANY_SQUADS", many_squads)
    made = _open_cases(other_agent, agent, ENDS)
    closed = made.pop("neither")
    SuccessCase.objects.filter(pk=closed.pk).update(  # mine, but canceled
        assigned_to=agent, phase="canceled", cancel_reason="Gone.", closed_at=timezone.now()
    )
    shown = client_for("agent").get("/").context["my_cases"]
    assert [c.short_description for c in shown] == [
        "mine 1", "squad 1", "both", "mine 2", "squad 2"
    ]  # fmt: skip


@pytest.mark.parametrize("many_squads", [1000, 1], ids=["from-my-squads", "open-cases-in-order"])
def test_my_open_cases_page_across_both(client_for, agent, other_agent, monkeypatch, many_squads):
    monkeypatch.setattr(selectors, "MANY_SQUADS", many_squads)
    ends = {f"{'mine' if i % 2 else 'squad'} {i:02d}": f"2026-04-{i + 1:02d}" for i in range(13)}
    _open_cases(other_agent, agent, ends)
    client = client_for("agent")
    first, second = (
        client.get("/").context["my_cases"],
        client.get("/?cases_page=2").context["my_cases"],
    )
    by_end = sorted(ends, key=ends.__getitem__)
    assert [c.short_description for c in [*first, *second]] == by_end
    assert first.has_next and not second.has_next


@pytest.mark.parametrize("many_squads", [1000, 1], ids=["from-my-squads", "open-cases-in-order"])
def test_the_open_cases_query_reads_along_an_index(agent, other_agent, monkeypatch, many_squads):
    """SQLite: the partial indexes of open cases serve the query (no scan of every case)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan")
    monkeypatch.setattr(selectors, "MANY_SQUADS", many_squads)
    _open_cases(other_agent, agent, {"squad": "2026-03-02"})
    sql, params = selectors.my_open_cases(agent)[:11].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    scans = [step for step in plan if step.startswith("SCAN playbooks_successcase")]
    index = "case_open_planned" if many_squads == 1 else "case_open_assignee"
    assert all("USING" in step for step in scans), plan
    assert any(index in step for step in plan), plan


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
