"""Two people closing the same case at once (issue 12): one wins, the other is told.

The second waits for the first one's lock on the case row (``services._lock_case``);
once it has it, it finds the case closed and is told so: no 500, no second Closed.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.db import transaction

from core.roles import Role
from playbooks import services
from playbooks.models import ClosureCode
from playbooks.models import JournalEntry
from playbooks.models import Phase
from playbooks.models import PlaybookState
from playbooks.models import SuccessCase
from playbooks.services import DomainError
from tests.factories import EngagementFactory
from tests.factories import UserFactory

from .conftest import work_until
from .test_review_race import wait_until_someone_waits_for_my_lock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def squad_case(role_groups):
    """A case in Assist worked by two agents (the assignee and a squad member)."""
    roles = [Role.SUCCESS_AGENT]
    first = UserFactory(username="t-ana", first_name="Ana", last_name="Diaz", roles=roles)
    second = UserFactory(username="t-ben", first_name="Ben", last_name="Okafor", roles=roles)
    case = services.success_case_create(engagement=EngagementFactory(), user=first).case
    work_until(case, first, "Related meeting")
    case.squad.add(second)
    return case, [first, second]


def test_one_agent_closes_the_other_is_told(squad_case):
    case, agents = squad_case
    code = ClosureCode.objects.filter(active=True).first()
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}
    waited: dict[str, bool] = {}

    def press_close(user) -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                services.success_case_close(
                    case_pk=case.pk, user=user, closure_code=code, close_notes=user.first_name
                )
                waited[user.first_name] = wait_until_someone_waits_for_my_lock()
            results[user.first_name] = "ok"
        except Exception as error:  # reported below, with its type
            results[user.first_name] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press_close, args=(user,)) for user in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    winners = [name for name, result in results.items() if result == "ok"]
    losers = [result for result in results.values() if result != "ok"]
    assert len(winners) == 1, results
    assert waited == {winners[0]: True}, "the second agent never waited on the lock"
    assert len(losers) == 1 and isinstance(losers[0], DomainError), results
    assert str(losers[0]) == f"{case.number} is closed; it can no longer change."
    case = SuccessCase.objects.get(pk=case.pk)
    assert (case.phase, case.playbook_state) == (Phase.CLOSED, PlaybookState.CANCELED)
    assert case.close_notes == winners[0]
    closings = JournalEntry.objects.filter(case=case, field="State", new_value="Closed")
    assert closings.count() == 1
