"""The OpenAPI schema: served, valid, and true to what the API answers (Schemathesis).

Schemathesis reads the app's own schema through its WSGI app and sends every operation
generated requests (valid ones, and invalid ones where a body or query can be wrong),
with a Customer Success token (the role that may also PATCH KPIs). No answer may be a
5xx, and every answer must be documented: its status, content type, headers and body.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance
from schemathesis.specs.openapi.checks import response_headers_conformance
from schemathesis.specs.openapi.checks import response_schema_conformance
from schemathesis.specs.openapi.checks import status_code_conformance

from .conftest import api_client

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_schema_is_served_and_describes_the_kpi_feed(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    patch = schema["paths"]["/api/v1/kpis/{id}/"]["patch"]
    assert set(patch["responses"]) >= {"200", "400", "401", "403", "404", "409", "413", "422"}
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


def test_the_schema_validates_without_warnings(tmp_path):
    """What ``manage.py spectacular --validate --fail-on-warn`` checks, here in the suite."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "api.yaml")
    assert "/api/v1/cases/" in (tmp_path / "api.yaml").read_text()


@pytest.mark.parametrize("docs_url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_nothing_from_the_internet(client, docs_url):
    response = client.get(docs_url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn." not in html and "//unpkg" not in html


@pytest.fixture
def wsgi_app():
    """The project's WSGI app inside the test's transaction.

    Django closes "old" connections when a request starts and ends; in a test that would
    close the connection holding the test's transaction (the test client disconnects the
    same handlers).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_conforms_to_the_schema(world, wsgi_app, settings):
    settings.API_THROTTLE_RATE = ""  # a few hundred requests by one user in seconds
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    ids = {"accounts": "account", "engagements": "engagement", "plans": "plan"}
    ids |= {"objectives": "objective", "kpis": "kpi", "resources": "resource"}
    ids |= {"playbooks": "playbook", "playbook-tasks": "plan_task", "challenges": "challenge"}
    # path parameters other than the resource's own id, named as the schema names them
    others = {"activity_pk": "activity", "task_number": "case_task"}
    operations = [result.ok() for result in schema.get_all_operations()]
    # 7 lists, 10 details, a KPI's PATCH; a case's create, activity, journal, close, cancel,
    # meetings, tasks and their transitions; a plan's CS activity, objective, playbook, task
    # and challenge; PATCH and DELETE of 3 admin records and 4 plan records, 2 admin POSTs
    assert len(operations) == 49

    for operation in operations:
        strategies = [
            (operation.as_strategy(GenerationMode.POSITIVE), 8),
            (operation.as_strategy(GenerationMode.NEGATIVE), 4),
        ]
        if "{" in operation.path:
            resource = operation.path.split("/")[3]
            # rows that exist, so that details answer 200 too (not only 404)
            values = {"number": world["case"]} if resource == "cases" else {}
            if resource != "cases":
                values["id"] = world[ids[resource]]
            elif "{id}" in operation.path:
                values["id"] = world["meeting"]
            for name, key in others.items():
                if f"{{{name}}}" in operation.path:
                    values[name] = world[key]
            strategies.append(
                (operation.as_strategy(GenerationMode.POSITIVE, path_parameters=values), 4)
            )
        # the case's writes as its assignee (Customer Success reads cases only); the admins'
        # records as an admin
        who = "agent" if operation.path.startswith("/api/v1/cases/") else "csm"
        if operation.path.split("/")[3] in ("accounts", "engagements", "resources"):
            who = "admin"
        for strategy, examples in strategies:
            _check(strategy, examples, {"Authorization": f"Bearer {world['keys'][who]}"})
    # The API's writes were all made in this test's transaction (the connection still works).
    assert api_client(world, "csm").get(f"/api/v1/plans/{world['plan']}/").status_code == 200


def _check(strategy, examples: int, headers: dict) -> None:
    @given(case=strategy)
    @hypothesis_settings(
        max_examples=examples,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
