"""Two people saving the same plan's Objective KPI Overview grid (issue 18, defect 5).

The grid saves only the cells its user changed, and refuses a cell whose stored value
changed since the grid was loaded, showing both values; nothing is lost in silence.
Each client posts what its page showed (the inputs of the grid as a browser sends them).
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db import connections
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bench import kpi_grid
from bench.kpi_grid import edited
from core.roles import Role
from successplans import services
from successplans.models import KPIValue
from successplans.models import ObjectiveKPI
from successplans.services import KPIGridConflict
from tests.factories import UserFactory

from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import SuccessPlanFactory

CONFLICT = "Changed by someone else since you opened the grid: now {now}, you entered {entered}."


@pytest.fixture
def plan(db):
    plan = SuccessPlanFactory(name="Warehouse adoption")
    objective = ObjectiveFactory(plan=plan, name="Adoption", start_date=plan.effective_date)
    ObjectiveKPIFactory(objective=objective, name="Active pickers", current=40, target=80)
    ObjectiveKPIFactory(objective=objective, name="Paper lists", direction="lower", current=30)
    return plan


@pytest.fixture
def people(role_groups_or_db):
    return [
        UserFactory(
            username=f"t-{first.lower()}",
            first_name=first,
            last_name=last,
            roles=[Role.CUSTOMER_SUCCESS],
        )
        for first, last in (("Casey", "Stone"), ("Jordan", "Park"))
    ]


@pytest.fixture
def role_groups_or_db(request):
    """The role groups: transactional tests need them reloaded, the others have them."""
    if request.node.get_closest_marker("postgres"):
        request.getfixturevalue("role_groups")
    else:
        request.getfixturevalue("db")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(plan) -> str:
    return reverse("successplans:plan-detail", args=[plan.pk]) + "?tab=kpis"


def grid_url(plan) -> str:
    return reverse("successplans:kpi-grid", args=[plan.pk])


def open_grid(client, plan) -> tuple[dict[str, str], dict[str, str]]:
    """The grid as loaded by ``client``: (posted data, KPI name -> row prefix)."""
    response = client.get(page_url(plan))
    assert response.status_code == 200
    return read_grid(response.text)


def read_grid(html: str) -> tuple[dict[str, str], dict[str, str]]:
    loaded = kpi_grid.read_grid(html)
    assert loaded[1], "no KPI grid on the page"
    return loaded


def kpi(name: str) -> ObjectiveKPI:
    return ObjectiveKPI.objects.get(name=name)


def history(name: str) -> list[tuple[Decimal, str]]:
    return [
        (value.value, value.recorded_by.first_name)
        for value in KPIValue.objects.filter(kpi__name=name).order_by("pk")
    ]


# -- two clients, one after the other ----------------------------------------------------------
def test_the_second_save_of_the_same_cell_is_refused_with_both_values(plan, people):
    first, second = (signed_in(user) for user in people)
    first_grid, second_grid = open_grid(first, plan), open_grid(second, plan)

    saved = first.post(grid_url(plan), edited(first_grid, {"Active pickers": {"current": "42"}}))
    assert saved.status_code == 302
    refused = second.post(
        grid_url(plan), edited(second_grid, {"Active pickers": {"current": "45"}})
    )

    assert refused.status_code == 200
    text = refused.text
    prefix = second_grid[1]["Active pickers"]
    cell = text.split(f'name="{prefix}-current"')[1].split("</td>")[0]
    assert CONFLICT.format(now="42", entered="45") in cell
    assert "1 KPI was changed by someone else since you opened the grid; nothing was saved." in text
    assert kpi("Active pickers").current == Decimal("42")
    assert history("Active pickers") == [(Decimal("42"), "Casey")]

    # Having seen the other value, Jordan saves the grid as shown again: now it counts.
    again = second.post(grid_url(plan), read_grid(text)[0])
    assert again.status_code == 302
    assert kpi("Active pickers").current == Decimal("45")
    assert history("Active pickers") == [(Decimal("42"), "Casey"), (Decimal("45"), "Jordan")]


def test_a_conflict_saves_none_of_the_other_rows_either(plan, people):
    first, second = (signed_in(user) for user in people)
    first_grid, second_grid = open_grid(first, plan), open_grid(second, plan)
    first.post(grid_url(plan), edited(first_grid, {"Active pickers": {"current": "42"}}))

    refused = second.post(
        grid_url(plan),
        edited(
            second_grid,
            {"Active pickers": {"current": "45"}, "Paper lists": {"current": "25"}},
        ),
    )
    assert refused.status_code == 200
    assert kpi("Paper lists").current == Decimal("30")
    assert history("Paper lists") == []
    # What Jordan typed in the row without a conflict is still in the grid.
    prefix = second_grid[1]["Paper lists"]
    assert read_grid(refused.text)[0][f"{prefix}-current"] == "25"


def test_cells_changed_by_someone_else_and_not_by_me_are_kept(plan, people):
    first, second = (signed_in(user) for user in people)
    first_grid, second_grid = open_grid(first, plan), open_grid(second, plan)

    first.post(grid_url(plan), edited(first_grid, {"Active pickers": {"target": "90"}}))
    saved = second.post(grid_url(plan), edited(second_grid, {"Active pickers": {"current": "55"}}))

    assert saved.status_code == 302
    pickers = kpi("Active pickers")
    assert (pickers.current, pickers.target) == (Decimal("55"), Decimal("90"))
    assert history("Active pickers") == [(Decimal("55"), "Jordan")]


def test_reposting_an_unchanged_grid_changes_nothing(plan, people):
    first, second = (signed_in(user) for user in people)
    first_grid, second_grid = open_grid(first, plan), open_grid(second, plan)
    first.post(grid_url(plan), edited(first_grid, {"Active pickers": {"current": "42"}}))
    before = {k.pk: [getattr(k, f) for f in ObjectiveKPI.EDITABLE_FIELDS] for k in plan_kpis()}

    response = second.post(grid_url(plan), second_grid[0], follow=True)

    assert response.status_code == 200
    assert "No KPI was changed." in response.text
    after = {k.pk: [getattr(k, f) for f in ObjectiveKPI.EDITABLE_FIELDS] for k in plan_kpis()}
    assert after == before
    assert history("Active pickers") == [(Decimal("42"), "Casey")]
    assert history("Paper lists") == []

    # And the same grid posted twice by the one who just saved it records nothing either.
    first.post(grid_url(plan), open_grid(first, plan)[0])
    assert KPIValue.objects.count() == 1


def test_a_row_without_its_loaded_values_is_refused(plan, people):
    client = signed_in(people[0])
    data, rows = open_grid(client, plan)
    data = edited((data, rows), {"Active pickers": {"current": "41", "loaded": "{}"}})
    response = client.post(grid_url(plan), data)
    assert response.status_code == 200
    assert "This grid is out of date; reload the page." in response.text
    assert "1 row has errors; nothing was saved." in response.text
    assert kpi("Active pickers").current == Decimal("40")
    assert not KPIValue.objects.exists()


def plan_kpis() -> list[ObjectiveKPI]:
    return list(ObjectiveKPI.objects.order_by("pk"))


# -- two at the same moment, on PostgreSQL ------------------------------------------------------
#: How many times the saver holding its lock looks for the other one waiting on it.
MAX_POLLS = 20_000


def _someone_waits_for_my_lock(others_done: threading.Event) -> bool:
    """Whether another session came to wait for this one's locks (before the others ended)."""
    with connection.cursor() as cursor:
        for _ in range(MAX_POLLS):
            if others_done.is_set():
                return False
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return True
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_keep_the_first_and_refuse_the_second(plan, people):
    """Both loaded 40; both save at once. The first to lock the row wins, and holds its
    transaction open until the other is waiting for that lock; the other is refused."""
    pickers = kpi("Active pickers")
    entered = {"Casey": Decimal("42"), "Jordan": Decimal("45")}
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}
    waited: dict[str, bool] = {}
    done = {user.first_name: threading.Event() for user in people}

    def press_save(user) -> None:
        [other] = [name for name in done if name != user.first_name]
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                services.kpi_grid_save(
                    plan=plan,
                    changes=[(pickers, {"current": entered[user.first_name]})],
                    loaded={pickers.pk: {"current": Decimal("40")}},
                    user=user,
                )
                waited[user.first_name] = _someone_waits_for_my_lock(done[other])
            results[user.first_name] = "ok"
        except Exception as error:  # reported below, with its type
            results[user.first_name] = error
        finally:
            connections.close_all()
            done[user.first_name].set()

    threads = [threading.Thread(target=press_save, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    assert sorted(results) == ["Casey", "Jordan"], results
    winners = [name for name, result in results.items() if result == "ok"]
    assert len(winners) == 1, results
    [winner] = winners
    assert waited == {winner: True}, "the second save never waited for the first one's lock"
    [loser] = [name for name in results if name != winner]
    refusal = results[loser]
    assert isinstance(refusal, KPIGridConflict), results
    [conflict] = refusal.conflicts
    assert (conflict.kpi_pk, conflict.field) == (pickers.pk, "current")
    assert conflict.message == CONFLICT.format(
        now=f"{entered[winner]:f}", entered=f"{entered[loser]:f}"
    )
    assert kpi("Active pickers").current == entered[winner]
    assert history("Active pickers") == [(entered[winner], winner)]
