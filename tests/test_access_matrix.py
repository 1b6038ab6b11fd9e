"""Who may do what: every named URL x every actor x GET and POST, from one table.

The URLs come from the resolver, so a new URL without a row in ``ACCESS``
(tests/access_table.py) fails (``test_every_url_has_an_expectation``) instead of being
silently left out.
Each row says who may use the page (read off the view's decorators and access
helper) and which methods it accepts; the expected answer follows:

* anonymous: a redirect to ``/login/?next=<the page>``, GET and POST alike, unless the
  page is for anyone (``ANYONE``: the password reset pages);
* a signed-in user who fails a check made before the method check: 403;
* a method the view does not accept: 405 (``require_POST``, ``require_GET``);
* allowed: 200, or a redirect (not to the login page);
* refused: 403, and a refused POST changes no row of any model;
* an unknown object in the URL, for an allowed user: 404.

Case "work" pages (activities, close, cancel, meetings, tasks) are only for
the case's assignee and squad: ``agent`` is the assignee, ``other_agent`` holds
the same role but is refused. Posts are empty: an allowed user gets the form
back with its errors or is redirected; either way each test is rolled back.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from api import services as token_services
from engagements.models import Contact
from notifications import services as notification_services
from notifications.models import Notification
from playbooks import services as case_services
from tests.access_table import ACCESS
from tests.access_table import ACTORS
from tests.access_table import ANONYMOUS
from tests.access_table import MAX_QUERIES
from tests.access_table import METHODS
from tests.access_table import NOT_OBJECTS
from tests.access_table import UNKNOWN
from tests.conftest import USERS
from tests.conftest import make_user
from tests.conftest import module_data
from tests.factories import EngagementFactory
from tests.factories import SuccessCaseFactory
from tests.factories import work_case_until
from tests.successplans.factories import BusinessChallengeFactory
from tests.successplans.factories import CSActivityFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import PlaybookFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory
from tests.successplans.factories_templates import build_template

# The REST API (``api:``) answers 401/403 in JSON, not with the sign-in page: its own
# matrix is tests/api/test_access.py.
SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED_NAMES = {"login", "logout"}  # sign-in and sign-out have their own tests (test_auth)


def named_urls() -> dict[str, list[str]]:
    """Every named URL of the project (but the admin's, sign-in and sign-out): its kwargs."""
    found: dict[str, list[str]] = {}

    def walk(resolver: URLResolver, namespace: str, kwargs: list[str]) -> None:
        for entry in resolver.url_patterns:
            names = kwargs + list(getattr(entry.pattern, "converters", {}))
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                if inner.split(":")[0] not in SKIPPED_NAMESPACES:
                    walk(entry, inner, names)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if name not in SKIPPED_NAMES:
                    found[name] = names

    walk(get_resolver(), "", [])
    return found


URLS = named_urls()


def test_every_url_has_an_expectation():
    missing = sorted(set(URLS) - set(ACCESS))
    stale = sorted(set(ACCESS) - set(URLS))
    assert not missing, f"URLs without a row in ACCESS (add who may use them): {missing}"
    assert not stale, f"Rows in ACCESS for URLs that no longer exist: {stale}"
    for name, kwargs in URLS.items():
        if name in ACCESS:
            assert sorted(ACCESS[name].kwargs) == sorted(kwargs), name


# -- the rows the URLs point at, built once for the module -----------------------------------
@pytest.fixture(scope="module")
def _objects(django_db_setup, django_db_blocker) -> dict[str, object]:
    with module_data(django_db_blocker):
        users = {who: make_user(who) for who in USERS}
        sessions = {}
        for who, user in users.items():
            client = Client()
            client.force_login(user)
            sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
        agent = users["agent"]
        engagement = EngagementFactory(name="Warehouse module adoption")
        open_case = SuccessCaseFactory(engagement=engagement, user=agent)
        activity = open_case.activities.get(state="in_progress")
        start = timezone.now() + timedelta(days=1)
        meeting = case_services.meeting_create(
            case_pk=open_case.pk,
            user=agent,
            data={"subject": "Kickoff", "start": start, "end": start + timedelta(hours=1)},
        )
        task = case_services.task_create(
            case_pk=open_case.pk, user=agent, data={"short_description": "Send the agenda"}
        )
        closed_case = SuccessCaseFactory(engagement=engagement, user=agent)
        work_case_until(closed_case, agent)
        case_services.success_case_close(case_pk=closed_case.pk, user=agent)

        plan = SuccessPlanFactory(account=engagement.account)
        objective = ObjectiveFactory(plan=plan)
        playbook = PlaybookFactory(plan=plan)
        yield {
            "sessions": sessions,
            "account": engagement.account.pk,
            "contact": Contact.objects.create(account=engagement.account, name="Dana Whitfield").pk,
            "engagement": engagement.pk,
            "lookup": "accounts",
            "open_case": open_case.number,
            "activity": activity.pk,
            "meeting": meeting.pk,
            "meeting_transition": "cancel",
            "case_task": task.number,
            "task_transition": "start",
            "closed_case": closed_case.number,
            "plan": plan.pk,
            "related_key": "objectives",
            "objective": objective.pk,
            "kpi": ObjectiveKPIFactory(objective=objective).pk,
            "playbook": playbook.pk,
            "plan_task": PlaybookTaskFactory(playbook=playbook).pk,
            "dated_kind": "task",
            "challenge": BusinessChallengeFactory(plan=plan).pk,
            "cs_activity": CSActivityFactory(plan=plan, who=users["csm"]).pk,
            "template": build_template().pk,
            "api_token": token_services.token_create(user=agent, name="Usage sync").token.pk,
            "notification": Notification.objects.create(
                user=agent, event="task_due", text="Due"
            ).pk,
            "feed_secret": notification_services.calendar_feed_renew(user=agent).token,
            # a reset link of the participant's (made after their sign-in above, which
            # changes last_login and so the token)
            "reset_uid": urlsafe_base64_encode(force_bytes(users["participant"].pk)),
            "reset_token": default_token_generator.make_token(users["participant"]),
        }


@pytest.fixture
def objects(_objects, db) -> dict[str, object]:
    return _objects


def signed_in(objects: dict[str, object], actor: str) -> Client:
    """A client with ``actor``'s session (signed in once for the module), or anonymous."""
    client = Client()
    if actor != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = objects["sessions"][actor]
    return client


def url_of(name: str, objects: dict[str, object], **replaced) -> str:
    kwargs = {kwarg: objects[key] for kwarg, key in ACCESS[name].kwargs.items()}
    return reverse(name, kwargs=kwargs | replaced)


def row_counts() -> dict[str, int]:
    """The number of rows of every table (many-to-many ones included), in one query."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        counts = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, counts, strict=True)}


def _cases() -> list:
    return [
        pytest.param(name, actor, method, id=f"{name}-{actor}-{method}")
        for name in URLS
        for actor in ACTORS
        for method in METHODS
    ]


@pytest.mark.parametrize(("name", "actor", "method"), _cases())
def test_access(objects, name, actor, method):
    access = ACCESS.get(name)
    assert access is not None, f"{name} has no row in ACCESS"
    url = url_of(name, objects)
    client = signed_in(objects, actor)
    expected = access.expected(actor, method)
    before = row_counts() if method == "POST" and expected != "allowed" else None

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if method == "GET" else client.post(url, {})

    status = response.status_code
    if method == "GET" and expected == "allowed" and not name.startswith("admin:"):
        # Issue 11: no page of ours reads more than 15 queries (the page tests check that
        # the count is the same at two sizes; this checks that every page has a ceiling).
        assert len(queries.captured_queries) <= MAX_QUERIES, len(queries.captured_queries)
    if expected == "login":
        assert status == 302, status
        assert response.url == f"{reverse('login')}?next={url}"
    elif expected == "refused":
        assert status == 403, status
    elif expected == "hidden":
        assert status == 404, status
    elif expected == "not allowed":
        assert status == 405, status
    else:
        assert status in (200, 302), status
        if status == 302:
            assert not response.url.startswith(reverse("login")), response.url
    if before is not None:
        assert row_counts() == before


def _unknown_cases() -> list:
    # URLs without a row are reported by test_every_url_has_an_expectation.
    return [
        pytest.param(name, kwarg, id=f"{name}-{kwarg}")
        for name, kwargs in URLS.items()
        if name in ACCESS
        for kwarg in kwargs
        if kwarg not in NOT_OBJECTS
    ]


@pytest.mark.parametrize(("name", "kwarg"), _unknown_cases())
def test_an_unknown_object_is_404(objects, name, kwarg):
    access = ACCESS[name]
    actor = sorted(access.who)[0]
    url = url_of(name, objects, **{kwarg: UNKNOWN.get(kwarg, 999999)})
    client = signed_in(objects, actor)
    response = client.get(url) if "GET" in access.methods else client.post(url, {})
    assert response.status_code == 404
