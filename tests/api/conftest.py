"""The rows and tokens the API tests read: one of each resource, a token per actor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api import services as token_services
from playbooks import services as case_services
from tests.conftest import USERS
from tests.conftest import make_user
from tests.conftest import module_data
from tests.factories import EngagementFactory
from tests.factories import ResourceFactory
from tests.factories import SuccessCaseFactory
from tests.factories import UserFactory
from tests.successplans.factories import BusinessChallengeFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import PlaybookFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory

#: Callers of the API: no token, a revoked token, a made-up token, and each user of the suite.
NO_TOKEN, REVOKED, FORGED = "no token", "revoked token", "forged token"
ROLES = frozenset(USERS) - {"no_role_user"}
#: A staff user holding the engagements app's model permissions (no role): who writes
#: accounts, engagements and resources, as in the Django admin.
ADMIN = "admin"
ADMIN_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("account", "engagement", "resource")
    for action in ("view", "add", "change", "delete")
]


def make_admin():
    admin = UserFactory(username="t-admin", is_staff=True)
    admin.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="engagements", codename__in=ADMIN_PERMISSIONS
        )
    )
    return admin


def build_world() -> dict:
    users = {who: make_user(who) for who in USERS}
    users[ADMIN] = make_admin()
    keys = {
        who: token_services.token_create(user=user, name="tests").key for who, user in users.items()
    }
    revoked = token_services.token_create(user=users["csm"], name="old sync")
    token_services.token_revoke(token=revoked.token)
    keys[REVOKED] = revoked.key
    # The right shape and a real token's prefix, but not its secret.
    keys[FORGED] = keys["csm"][: len(keys["csm"]) - 4] + "AAAA"
    engagement = EngagementFactory(name="Warehouse module adoption")
    case = SuccessCaseFactory(engagement=engagement, user=users["agent"])
    start = timezone.now() + timedelta(days=1)
    meeting = case_services.meeting_create(
        case_pk=case.pk,
        user=users["agent"],
        data={"subject": "Kickoff", "start": start, "end": start + timedelta(hours=1)},
    )
    task = case_services.task_create(
        case_pk=case.pk, user=users["agent"], data={"short_description": "Send the agenda"}
    )
    plan = SuccessPlanFactory(account=engagement.account)
    objective = ObjectiveFactory(plan=plan)
    kpi = ObjectiveKPIFactory(objective=objective)
    playbook = PlaybookFactory(plan=plan)
    return {
        "users": users,
        "keys": keys,
        "account": engagement.account.pk,
        "engagement": engagement.pk,
        "case": case.number,
        "activity": case.activities.get(state="in_progress").pk,
        "meeting": meeting.pk,
        "case_task": task.number,
        "meeting_transition": "schedule",
        "task_transition": "start",
        "plan": plan.pk,
        "objective": objective.pk,
        "kpi": kpi.pk,
        "playbook": playbook.pk,
        "plan_task": PlaybookTaskFactory(playbook=playbook).pk,
        "challenge": BusinessChallengeFactory(plan=plan).pk,
        "resource": ResourceFactory().pk,
        "resource_user": UserFactory(username="t-new-resource").pk,
    }


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(_world, db) -> dict:
    return _world


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The throttle counts live in the cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


def api_client(world: dict, caller: str) -> Client:
    """A client sending ``caller``'s token (none for ``NO_TOKEN``)."""
    if caller == NO_TOKEN:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {world['keys'][caller]}")
