"""Two managers pressing Mark Reviewed on the same closed case at once (issue 18, defect 4).

The second one waits for the first one's lock on the case row; once it has it,
it must be told who was first, never answer a 500. Each test makes sure the
second manager really waits on the lock: the first holds its transaction open
until PostgreSQL reports another session blocked by it, and only then commits.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.db import connections
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.roles import Role
from playbooks import services
from playbooks.models import JournalEntry
from playbooks.models import SuccessCase
from playbooks.services import DomainError
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

#: How many times the lock holder looks for a waiting session before giving up.
MAX_POLLS = 20_000


def wait_until_someone_waits_for_my_lock() -> bool:
    """Whether another session of this database came to wait for this session's locks.

    ``pg_stat_activity`` is a snapshot per transaction, so each look clears it first.
    """
    with connection.cursor() as cursor:
        for _ in range(MAX_POLLS):
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database()"
                " AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return True
    return False


@pytest.fixture
def managers(role_groups):
    return [
        UserFactory(
            username=f"t-{first.lower()}",
            first_name=first,
            last_name=last,
            roles=[Role.SUCCESS_MANAGER],
        )
        for first, last in (("Morgan", "Lee"), ("Riley", "Chen"))
    ]


def test_the_second_manager_is_told_who_reviewed_first(managers, closed_case):
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}
    waited: dict[str, bool] = {}

    def press_mark_reviewed(user) -> None:
        try:
            barrier.wait(timeout=10)
            # The outer transaction keeps the winner's lock until the other manager waits on it.
            with transaction.atomic():
                services.success_case_mark_reviewed(
                    case_pk=closed_case.pk, user=user, note=f"Reviewed by {user.first_name}."
                )
                waited[user.first_name] = wait_until_someone_waits_for_my_lock()
            results[user.first_name] = "ok"
        except Exception as error:  # reported below, with its type
            results[user.first_name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press_mark_reviewed, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    assert sorted(results) == ["Morgan", "Riley"], results
    winners = [name for name, result in results.items() if result == "ok"]
    losers = [result for result in results.values() if result != "ok"]
    assert len(winners) == 1, results
    assert waited == {winners[0]: True}, "the second manager never waited on the lock"
    assert len(losers) == 1 and isinstance(losers[0], DomainError), results
    winner = next(m for m in managers if m.first_name == winners[0])
    assert str(losers[0]).startswith(
        f"{closed_case.number} was already marked Reviewed by {winner.get_full_name()} on "
    )
    case = SuccessCase.objects.get(pk=closed_case.pk)
    assert case.reviewed_by == winner
    assert case.review_note == f"Reviewed by {winner.first_name}."
    reviews = JournalEntry.objects.filter(case=case, field="Reviewed")
    assert [(e.author, e.body) for e in reviews] == [(winner, f"Reviewed by {winner.first_name}.")]


def test_the_second_manager_sees_the_message_not_a_500(managers, closed_case):
    first, second = managers
    client = Client(raise_request_exception=False)
    client.force_login(second)
    url = reverse("playbooks:review-mark", args=[closed_case.number])
    responses = []

    def press_mark_reviewed() -> None:
        try:
            responses.append(client.post(url, {"review_note": "Looks good."}, follow=True))
        finally:
            connections.close_all()

    with transaction.atomic():
        services.success_case_mark_reviewed(case_pk=closed_case.pk, user=first, note="First.")
        thread = threading.Thread(target=press_mark_reviewed)
        thread.start()
        assert wait_until_someone_waits_for_my_lock(), "the second manager never waited"
    thread.join(timeout=30)
    assert not thread.is_alive()

    [response] = responses
    assert response.status_code == 200
    assert response.redirect_chain == [
        (reverse("playbooks:review-case", args=[closed_case.number]), 302)
    ]
    assert (
        f"{closed_case.number} was already marked Reviewed by {first.get_full_name()}"
        in response.text
    )
    case = SuccessCase.objects.get(pk=closed_case.pk)
    assert (case.reviewed_by, case.review_note) == (first, "First.")
