"""Who may do what: every named URL x every actor x GET and POST, from one table.

The URLs come from the resolver, so a new URL without a row in ``ACCESS`` fails
(``test_every_url_has_an_expectation``) instead of being silently left out.
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

from dataclasses import dataclass
from dataclasses import field
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

ANONYMOUS = "anonymous"
ACTORS = [ANONYMOUS, *USERS]  # agent, other_agent, csm, participant, manager, no_role_user
METHODS = ["GET", "POST"]

SIGNED_IN = frozenset(USERS)
ANYONE = SIGNED_IN | {ANONYMOUS}  # the password reset pages: no sign-in needed
ROLES = SIGNED_IN - {"no_role_user"}  # every SuccessHub role views accounts, cases and plans
AGENTS = frozenset({"agent", "other_agent"})  # add success case
ASSIGNEE = frozenset({"agent"})  # can_work_case: the assignee and the squad
CSM = frozenset({"csm"})  # add, change and delete success plans and their children
MANAGER = frozenset({"manager"})  # review success case
GET, POST = frozenset({"GET"}), frozenset({"POST"})
ANY = frozenset(METHODS)

# The REST API (``api:``) answers 401/403 in JSON, not with the sign-in page: its own
# matrix is tests/api/test_access.py.
SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED_NAMES = {"login", "logout"}  # sign-in and sign-out have their own tests (test_auth)


@dataclass(frozen=True)
class Access:
    """Who may use a URL: ``who`` passes every check; ``gate``, when the view checks the
    method between two checks, is who passes the checks made before the method."""

    who: frozenset[str]
    kwargs: dict[str, str] = field(default_factory=dict)  # URL kwarg -> key of ``objects``
    methods: frozenset[str] = ANY
    gate: frozenset[str] | None = None
    # who gets 404 rather than 403: another user's own object is not shown to exist
    hidden: frozenset[str] = frozenset()

    def expected(self, actor: str, method: str) -> str:
        if actor == ANONYMOUS and actor not in self.who:
            return "login"
        if actor not in (self.who if self.gate is None else self.gate):
            return "refused"
        if method not in self.methods:
            return "not allowed"
        if actor in self.hidden:
            return "hidden"
        return "allowed" if actor in self.who else "refused"


#: The most queries a page of ours may read (issue 11).
MAX_QUERIES = 15

ACCESS: dict[str, Access] = {
    # successhub: My work (a user without role is told why), the account and engagement pages
    "home": Access(ROLES),
    # the top bar's global search (a user without role is told why, as on My work); GET only
    "search": Access(ROLES, {}, GET, SIGNED_IN),
    # /healthz for load balancers: anyone, GET only (core/health.py)
    "healthz": Access(ANYONE, {}, GET),
    # Django's password change: every signed-in user, with or without a role
    "password-change": Access(SIGNED_IN),
    "password-change-done": Access(SIGNED_IN, {}, GET),  # a TemplateView: GET only
    # Django's password reset by email: anyone, signed in or not
    "password-reset": Access(ANYONE),
    "password-reset-done": Access(ANYONE, {}, GET),
    "password-reset-confirm": Access(ANYONE, {"uidb64": "reset_uid", "token": "reset_token"}),
    "password-reset-complete": Access(ANYONE, {}, GET),
    "engagements:account-list": Access(ROLES),
    "engagements:engagement-list": Access(ROLES),
    "engagements:account-detail": Access(ROLES, {"pk": "account"}),
    # the Account 360 (issue 15): every role reads; Customer Success changes facts, contacts,
    # activities, manual measures and overrides (403 before the method for the others)
    "engagements:account-export": Access(ROLES),
    "engagements:account-timeline": Access(ROLES, {"pk": "account"}),
    "engagements:account-facts": Access(CSM, {"pk": "account"}),
    "engagements:account-contact-new": Access(CSM, {"pk": "account"}),
    "engagements:account-contact-edit": Access(CSM, {"pk": "account", "contact_pk": "contact"}),
    "engagements:account-activity-new": Access(CSM, {"pk": "account"}),
    "engagements:account-health-manual": Access(CSM, {"pk": "account"}),
    "engagements:account-health-override": Access(CSM, {"pk": "account"}),
    "engagements:engagement-detail": Access(ROLES, {"pk": "engagement"}),
    # core: search-as-you-type, by the lookup's permission (accounts: view_account)
    "core:search": Access(ROLES, {"lookup": "lookup"}),
    # playbooks: reading needs view_successcase; New needs add_successcase (agents)
    "playbooks:case-list": Access(ROLES),
    "playbooks:case-new": Access(AGENTS),
    "playbooks:case-detail": Access(ROLES, {"number": "open_case"}),
    # working a case: require_POST comes before _case_to_work, so every GET is 405
    "playbooks:activity-complete": Access(
        ASSIGNEE, {"number": "open_case", "activity_pk": "activity"}, POST, SIGNED_IN
    ),
    "playbooks:case-close": Access(ASSIGNEE, {"number": "open_case"}),  # GET: the Close page
    "playbooks:case-cancel": Access(ASSIGNEE, {"number": "open_case"}),
    "playbooks:journal-post": Access(ASSIGNEE, {"number": "open_case"}, POST, SIGNED_IN),
    # after core information; any Success Agent joins a squad, any member leaves it
    "playbooks:case-edit": Access(ASSIGNEE, {"number": "open_case"}),
    # the engagement's contact, from the case: its assignee and squad, and Customer Success
    "playbooks:case-contact": Access(ASSIGNEE | CSM, {"number": "open_case"}),
    "playbooks:squad-join": Access(AGENTS, {"number": "open_case"}, POST, ROLES),
    "playbooks:squad-leave": Access(ROLES, {"number": "open_case"}, POST),
    "playbooks:meeting-new": Access(ASSIGNEE, {"number": "open_case"}),
    "playbooks:meeting-edit": Access(ASSIGNEE, {"number": "open_case", "pk": "meeting"}),
    "playbooks:meeting-transition": Access(
        ASSIGNEE,
        {"number": "open_case", "pk": "meeting", "name": "meeting_transition"},
        POST,
        SIGNED_IN,
    ),
    "playbooks:task-new": Access(ASSIGNEE, {"number": "open_case"}),
    "playbooks:task-edit": Access(ASSIGNEE, {"number": "open_case", "task_number": "case_task"}),
    "playbooks:task-transition": Access(
        ASSIGNEE,
        {"number": "open_case", "task_number": "case_task", "name": "task_transition"},
        POST,
        SIGNED_IN,
    ),
    # Review: review_successcase (managers) on GET and POST; Mark Reviewed checks it before POST
    "playbooks:review": Access(MANAGER),
    "playbooks:review-export": Access(MANAGER),
    "playbooks:review-case": Access(MANAGER, {"number": "closed_case"}),
    "playbooks:review-mark": Access(MANAGER, {"number": "closed_case"}, POST),
    # success plans: view_plans (every role) first; changes need the model permission (CSM)
    "successplans:plan-list": Access(ROLES),
    "successplans:plan-create": Access(CSM),  # the one window posts too (issue 13, item 11)
    "successplans:plan-new": Access(CSM),
    "successplans:plan-challenge-row": Access(CSM),
    "successplans:plan-detail": Access(ROLES, {"pk": "plan"}),
    "successplans:plan-edit": Access(CSM, {"pk": "plan"}),
    "successplans:plan-delete": Access(CSM, {"pk": "plan"}),
    "successplans:plan-effective-date": Access(CSM, {"pk": "plan"}),
    "successplans:kpi-grid": Access(CSM, {"pk": "plan"}, POST, ROLES),
    "successplans:related-list": Access(ROLES, {"plan_id": "plan", "key": "related_key"}),
    "successplans:objective-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:objective-detail": Access(ROLES, {"pk": "objective"}),
    "successplans:objective-edit": Access(CSM, {"pk": "objective"}),
    "successplans:objective-delete": Access(CSM, {"pk": "objective"}),
    "successplans:objective-kpis": Access(ROLES, {"pk": "objective"}),
    "successplans:kpi-new": Access(CSM, {"parent_id": "objective"}),
    "successplans:kpi-edit": Access(CSM, {"pk": "kpi"}),
    "successplans:kpi-delete": Access(CSM, {"pk": "kpi"}),
    "successplans:playbook-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:playbook-detail": Access(ROLES, {"pk": "playbook"}),
    "successplans:playbook-edit": Access(CSM, {"pk": "playbook"}),
    "successplans:playbook-delete": Access(CSM, {"pk": "playbook"}),
    "successplans:task-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:task-detail": Access(ROLES, {"pk": "plan_task"}),
    "successplans:task-edit": Access(CSM, {"pk": "plan_task"}),
    "successplans:task-delete": Access(CSM, {"pk": "plan_task"}),
    "successplans:task-status": Access(CSM, {"pk": "plan_task"}, POST, ROLES),
    "successplans:plan-challenge-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:plan-challenge-edit": Access(CSM, {"plan_id": "plan", "pk": "challenge"}),
    "successplans:plan-challenge-delete": Access(CSM, {"plan_id": "plan", "pk": "challenge"}),
    "successplans:activity-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:activity-edit": Access(CSM, {"pk": "cs_activity"}),
    "successplans:activity-delete": Access(CSM, {"pk": "cs_activity"}),
    "successplans:challenge-list": Access(ROLES),
    "successplans:challenge-new": Access(CSM),
    "successplans:challenge-detail": Access(ROLES, {"pk": "challenge"}),
    "successplans:challenge-edit": Access(CSM, {"pk": "challenge"}),
    "successplans:challenge-delete": Access(CSM, {"pk": "challenge"}),
    "successplans:tracker": Access(ROLES),
    # a tracker bar's dates (drag, keys or the Dates form): those who may change the record
    "successplans:tracker-dates": Access(CSM, {"kind": "dated_kind", "pk": "plan_task"}),
    "successplans:template-picker": Access(CSM),
    "successplans:template-create": Access(CSM, {"template_id": "template"}),
    # API tokens: every signed-in user has their page; revoking is POST only, and only
    # the token's owner may (``agent`` owns the token here)
    "tokens:token-list": Access(SIGNED_IN),
    "tokens:token-revoke": Access(frozenset({"agent"}), {"pk": "api_token"}, POST, SIGNED_IN),
    # notifications: every signed-in user's own; another user's notification is 404 (it is
    # ``agent``'s here); the calendar feed needs no sign-in, its secret in the URL is the key
    "notifications:list": Access(SIGNED_IN, {}, GET),
    "notifications:read": Access(
        frozenset({"agent"}), {"pk": "notification"}, POST, SIGNED_IN, SIGNED_IN - {"agent"}
    ),
    "notifications:read-all": Access(SIGNED_IN, {}, POST),
    "notifications:preferences": Access(SIGNED_IN),
    "notifications:calendar-renew": Access(SIGNED_IN, {}, POST),
    "notifications:calendar-revoke": Access(SIGNED_IN, {}, POST),
    "notifications:calendar": Access(ANYONE, {"secret": "feed_secret"}, GET),
}

#: What stands in a URL for an object that does not exist, by URL kwarg.
UNKNOWN = {
    "number": "SCS9999999",
    "task_number": "TSK9999999",
    "key": "no-such-list",
    "lookup": "no-such-search",
}
#: Kwargs that name an action rather than an object (an unknown one is a message, not a 404);
#: a password reset link that is wrong or used up is a message too.
NOT_OBJECTS = {"name", "uidb64", "token"}


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
