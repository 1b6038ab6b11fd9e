"""The API's access matrix: every endpoint x every caller x its methods, from one table.

Like the pages' matrix (``tests/test_access_matrix.py``, which leaves the ``api``
namespace to this module): the endpoint names come from the resolver, so a new endpoint
without a row here fails ``test_every_endpoint_has_a_row``. Expected answers:

* no token: 401 (the schema and its docs are public: 200);
* a revoked or made-up token: 401, on every endpoint;
* a user whose role lacks the model permission the page checks: 403;
* allowed: 200; an unknown object, for an allowed user: 404;
* a refused write changes no row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

import pytest
from django.urls import get_resolver
from django.urls import reverse

from playbooks.models import ClosureCode
from playbooks.models import SuccessCase
from successplans.models import ObjectiveKPI
from tests.conftest import USERS
from tests.test_access_matrix import row_counts

from .conftest import ADMIN
from .conftest import FORGED
from .conftest import NO_TOKEN
from .conftest import REVOKED
from .conftest import ROLES
from .conftest import api_client

CALLERS = [NO_TOKEN, REVOKED, FORGED, *USERS, ADMIN]
ADMINS = frozenset({ADMIN})  # staff with the model permissions (the Django admin's rule)
CSM = frozenset({"csm"})  # change objective KPI (Customer Success)
AGENTS = frozenset({"agent", "other_agent"})  # add success case
ASSIGNEE = frozenset({"agent"})  # can_work_case: the assignee (and the squad)
EVERYONE = frozenset(CALLERS)


@dataclass(frozen=True)
class Endpoint:
    who: dict[str, frozenset[str]]  # method -> callers allowed
    kwargs: dict[str, str] = field(default_factory=dict)  # URL kwarg -> key of ``world``
    public: bool = False  # no token needed (the schema and its docs)
    body: dict | None = None  # what an allowed caller sends (a valid body)
    ok: int = 200  # the answer to an allowed write
    oks: dict[str, int] = field(default_factory=dict)  # by method, where it differs


READ = {"GET": ROLES}
#: Accounts, engagements, resources: every role reads, the admin reads and writes.
ADMIN_LIST = {"GET": ROLES | ADMINS, "POST": ADMINS}
ADMIN_RECORD = {"GET": ROLES | ADMINS, "PATCH": ADMINS, "DELETE": ADMINS}
#: A plan's records: every role reads, Customer Success changes and deletes.
PLAN_RECORD = {"GET": ROLES, "PATCH": CSM, "DELETE": CSM}
DELETED = {"DELETE": 204}
IN_USE = {"DELETE": 409}  # an account with engagements, an engagement with cases

WORKS_CASE = {"POST": ASSIGNEE}
CASE = {"number": "case"}
ENDPOINTS: dict[str, Endpoint] = {
    "api:account-list": Endpoint(ADMIN_LIST, body={"name": "Northwind Traders"}, ok=201),
    "api:account-detail": Endpoint(
        ADMIN_RECORD, {"pk": "account"}, body={"industry": "Retail"}, oks=IN_USE
    ),
    "api:engagement-list": Endpoint(
        ADMIN_LIST,
        body={"account": "account", "name": "Renewal 2027", "start_date": "2027-01-04"},
        ok=201,
    ),
    "api:engagement-detail": Endpoint(
        ADMIN_RECORD, {"pk": "engagement"}, body={"stage": "expand"}, oks=IN_USE
    ),
    "api:resource-list": Endpoint(ADMIN_LIST, body={"user": "resource_user"}, ok=201),
    "api:resource-detail": Endpoint(
        ADMIN_RECORD, {"pk": "resource"}, body={"title": "Renewals"}, oks=DELETED
    ),
    "api:case-list": Endpoint(
        {"GET": ROLES, "POST": AGENTS}, body={"engagement": "engagement"}, ok=201
    ),
    "api:case-detail": Endpoint(READ, CASE),
    "api:case-complete-activity": Endpoint(
        WORKS_CASE,
        {"number": "case", "activity_pk": "activity"},
        body={"short_description": "Adoption of the warehouse module"},
    ),
    "api:case-close": Endpoint(
        WORKS_CASE, CASE, body={"closure_code": "closure_code", "close_notes": "Reached."}
    ),
    "api:case-journal": Endpoint(
        WORKS_CASE, CASE, body={"kind": "comment", "text": "Kickoff booked."}, ok=201
    ),
    "api:case-cancel": Endpoint(WORKS_CASE, CASE, body={"reason": "The customer left."}),
    "api:case-meetings": Endpoint(
        WORKS_CASE,
        CASE,
        body={"subject": "Review", "start": "2031-01-01T10:00Z", "end": "2031-01-01T11:00Z"},
        ok=201,
    ),
    "api:case-meeting-transition": Endpoint(
        WORKS_CASE, {"number": "case", "pk": "meeting", "transition": "meeting_transition"}, body={}
    ),
    "api:case-tasks": Endpoint(WORKS_CASE, CASE, body={"short_description": "Call"}, ok=201),
    "api:case-task-transition": Endpoint(
        WORKS_CASE,
        {"number": "case", "task_number": "case_task", "transition": "task_transition"},
        body={},
    ),
    "api:plan-list": Endpoint(READ),
    "api:plan-detail": Endpoint(READ, {"pk": "plan"}),
    "api:plan-activities": Endpoint(
        {"POST": CSM},
        {"pk": "plan"},
        body={"type": "call", "date": "2026-03-02", "subject": "Usage review call"},
        ok=201,
    ),
    "api:plan-objectives": Endpoint(
        {"POST": CSM}, {"pk": "plan"}, body={"name": "Adoption above 80%"}, ok=201
    ),
    "api:plan-playbooks": Endpoint(
        {"POST": CSM}, {"pk": "plan"}, body={"name": "Onboarding play"}, ok=201
    ),
    "api:plan-playbook-tasks": Endpoint(
        {"POST": CSM},
        {"pk": "plan"},
        body={"name": "Train the admins", "playbook": "playbook"},
        ok=201,
    ),
    "api:plan-challenges": Endpoint(
        {"POST": CSM}, {"pk": "plan"}, body={"name": "Low adoption in EMEA"}, ok=201
    ),
    "api:objective-list": Endpoint(READ),
    "api:objective-detail": Endpoint(
        PLAN_RECORD, {"pk": "objective"}, body={"status": "in_progress"}, oks=DELETED
    ),
    "api:playbook-detail": Endpoint(
        PLAN_RECORD, {"pk": "playbook"}, body={"name": "Renamed play"}, oks=DELETED
    ),
    "api:playbook-task-detail": Endpoint(
        PLAN_RECORD, {"pk": "plan_task"}, body={"status": "completed"}, oks=DELETED
    ),
    "api:challenge-detail": Endpoint(
        PLAN_RECORD, {"pk": "challenge"}, body={"notes": "Two regions only."}, oks=DELETED
    ),
    "api:kpi-list": Endpoint(READ),
    "api:kpi-detail": Endpoint(
        {"GET": ROLES, "PATCH": CSM}, {"pk": "kpi"}, body={"current_value": 55}
    ),
    "api:schema": Endpoint({"GET": EVERYONE}, public=True),
    "api:docs": Endpoint({"GET": EVERYONE}, public=True),
    "api:redoc": Endpoint({"GET": EVERYONE}, public=True),
}
UNKNOWN = {"number": "SCS9999999", "task_number": "SCTASK9999999"}


def api_names() -> set[str]:
    _, resolver = get_resolver().namespace_dict["api"]
    return {f"api:{name}" for name in resolver.reverse_dict if isinstance(name, str)}


def test_every_endpoint_has_a_row():
    assert api_names() == set(ENDPOINTS)


def url_of(world: dict, name: str, **replaced) -> str:
    kwargs = {kwarg: world[key] for kwarg, key in ENDPOINTS[name].kwargs.items()}
    return reverse(name, kwargs=kwargs | replaced)


def body_of(world: dict, endpoint: Endpoint) -> dict:
    """The endpoint's body, a value naming a key of ``world`` replaced by that row's id."""
    values = {"closure_code": ClosureCode.objects.get(name="Outcome achieved").pk}
    return {
        name: values.get(value, world.get(value, value)) if isinstance(value, str) else value
        for name, value in (endpoint.body or {}).items()
    }


def call(client, method: str, url: str, body: dict | None = None):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


def expected(endpoint: Endpoint, caller: str, method: str) -> int:
    if caller in (REVOKED, FORGED):
        return 401
    if caller == NO_TOKEN and not endpoint.public:
        return 401
    if caller not in endpoint.who[method]:
        return 403
    return 200 if method == "GET" else endpoint.oks.get(method, endpoint.ok)


def _cases():
    return [
        pytest.param(name, caller, method, id=f"{name}-{caller}-{method}")
        for name, endpoint in ENDPOINTS.items()
        for method in endpoint.who
        for caller in CALLERS
    ]


@pytest.mark.parametrize(("name", "caller", "method"), _cases())
def test_access(world, name, caller, method):
    endpoint = ENDPOINTS[name]
    before = row_counts() if method != "GET" else None
    kpi_before = ObjectiveKPI.objects.get(pk=world["kpi"]).current
    case_before = SuccessCase.objects.values().get(number=world["case"])

    body = body_of(world, endpoint)
    response = call(api_client(world, caller), method, url_of(world, name), body)

    want = expected(endpoint, caller, method)
    assert response.status_code == want, (response.status_code, response.content[:300])
    if want == 401:
        assert response["WWW-Authenticate"] == "Bearer"
    if want in (401, 403) and not endpoint.public:  # the schema answers in its own format
        assert set(response.json()) == {"detail"}
    if before is not None and want >= 400:
        assert row_counts() == before
        assert ObjectiveKPI.objects.get(pk=world["kpi"]).current == kpi_before
        assert SuccessCase.objects.values().get(number=world["case"]) == case_before
    if name == "api:kpi-detail" and want == 200 and method == "PATCH":
        assert ObjectiveKPI.objects.get(pk=world["kpi"]).current == Decimal(55)
    if want == 200 and method == "PATCH":  # the answer, read again, has the new values
        assert {name: response.json()[name] for name in body} == body
    if before is not None and want < 400 and method != "PATCH":
        assert row_counts() != before  # an allowed write wrote (or deleted) something


def _unknown_cases():
    return [
        pytest.param(name, method, id=f"{name}-{method}")
        for name, endpoint in ENDPOINTS.items()
        if endpoint.kwargs
        for method in endpoint.who
    ]


#: URL kwargs that name an action rather than an object (an unknown one does not resolve).
ACTIONS = {"transition"}


@pytest.mark.parametrize(("name", "method"), _unknown_cases())
def test_an_unknown_object_is_404(world, name, method):
    endpoint = ENDPOINTS[name]
    caller = sorted(endpoint.who[method])[0]
    url = url_of(world, name)
    for kwarg, key in endpoint.kwargs.items():
        if kwarg in ACTIONS:
            continue
        for unknown in (UNKNOWN.get(kwarg, "999999"), "not-a-number"):
            wrong = url.replace(f"/{world[key]}/", f"/{unknown}/", 1)
            assert wrong != url
            before = row_counts()
            response = call(api_client(world, caller), method, wrong, body_of(world, endpoint))
            assert response.status_code == 404, (wrong, response.content[:300])
            assert set(response.json()) == {"detail"}
            assert row_counts() == before


@pytest.mark.parametrize("caller", ["csm", "agent", "participant"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_no_other_method_changes_anything(world, caller, method):
    """What an endpoint does not offer (no PUT, no DELETE, POST only where listed) is refused:
    403 (the role may not) or 405, and nothing changes."""
    before = row_counts()
    client = api_client(world, caller)
    for name, endpoint in ENDPOINTS.items():
        if endpoint.public or method in endpoint.who:
            continue
        response = client.generic(
            method, url_of(world, name), json.dumps({"name": "x"}), content_type="application/json"
        )
        assert response.status_code in (403, 405), (name, response.status_code)
    assert row_counts() == before
