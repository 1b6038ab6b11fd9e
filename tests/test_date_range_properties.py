"""Issue 18: a property test over every date field and date filter (hypothesis).

Whatever day from ``date.min`` to ``date.max`` is typed into a form or a filter, the answer is
never a 5xx, and no date outside 1900-01-01..2999-12-31 (``core.dates``) is ever stored.
Each target draws about 25 days (the range's edges and the day beyond each edge often among
them); no example database is written, no deadline is set.
"""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from core.dates import MAX_DATE
from core.dates import MIN_DATE
from core.dates import InRangeConstraint
from core.dates import in_range_check
from core.dates import validate_in_range
from core.dates import validate_moment_in_range
from playbooks import services as case_services
from playbooks.models import ActivityKind
from playbooks.models import SuccessCase
from successplans.models import CSActivity
from successplans.models import ObjectiveKPI
from successplans.models import Status
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.playbooks.conftest import current_activity
from tests.playbooks.conftest import work_until
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import SuccessPlanFactory
from tests.successplans.factories_templates import TemplateFactory
from tests.successplans.factories_templates import build_template

APPS = ("engagements", "playbooks", "successplans")
EDGES = [
    date.min,
    date.max,
    MIN_DATE,
    MAX_DATE,
    MIN_DATE - timedelta(days=1),
    MAX_DATE + timedelta(days=1),
    date(9999, 12, 30),
    date(1, 1, 2),
]
DAYS = st.one_of(st.sampled_from(EDGES), st.dates())
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _typed_date_fields():
    """Every date or moment a user types: (model, field name, is a moment)."""
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.fields:
                if isinstance(field, models.DateTimeField):
                    if validate_moment_in_range in field.validators:
                        yield model, field.name, True
                elif isinstance(field, models.DateField):
                    yield model, field.name, False


def assert_nothing_stored_outside_the_range() -> None:
    for model, name, moment in _typed_date_fields():
        outside = model.objects.exclude(in_range_check(name, moment=moment))
        assert not outside.exists(), (model.__name__, name, list(outside.values_list(name)))


def ok(response) -> None:
    assert response.status_code < 500, response.status_code
    assert_nothing_stored_outside_the_range()


def test_every_date_field_is_bounded_by_a_validator_and_a_check_constraint():
    """The list the property test walks is complete: every model DateField (and the meeting's
    moments) has the range's validator and its check constraint."""
    fields = list(_typed_date_fields())
    assert len(fields) >= 15
    for model, name, moment in fields:
        field = model._meta.get_field(name)
        validator = validate_moment_in_range if moment else validate_in_range
        assert validator in field.validators, (model.__name__, name)
        checks = [
            c
            for c in model._meta.constraints
            if isinstance(c, InRangeConstraint) and c.field == name
        ]
        assert len(checks) == 1, (model.__name__, name)


# -- filters ----------------------------------------------------------------------------------
@PROPERTY
@given(day=DAYS, zoom=st.sampled_from(["weeks", "months", "quarters", "years"]))
def test_tracker_start(client_for, day, zoom):
    ok(client_for("csm").get("/tracker/", {"start": day.isoformat(), "zoom": zoom}))


@PROPERTY
@given(day=DAYS, name=st.sampled_from(["closed_from", "closed_to"]))
def test_review_closed_between(client_for, day, name):
    client = client_for("manager")
    ok(client.get(reverse("playbooks:review"), {name: day.isoformat()}))
    ok(client.get(reverse("playbooks:review-export"), {name: day.isoformat()}))


# -- success plan forms -----------------------------------------------------------------------
@pytest.fixture
def plan(db):
    return SuccessPlanFactory(effective_date=date(2026, 1, 5), end_date=date(2026, 12, 31))


@PROPERTY
@given(day=DAYS, end=st.booleans())
def test_new_plan(client_for, day, end):
    data = {
        "account": AccountFactory().pk,
        "name": "Plan",
        "description": "",
        "effective_date": (MIN_DATE if end else day).isoformat(),
        "end_date": day.isoformat() if end else "",
        "status": Status.NOT_STARTED,
        "owner": "",
        "challenges-TOTAL_FORMS": "0",
        "challenges-INITIAL_FORMS": "0",
    }
    ok(client_for("csm").post(reverse("successplans:plan-new"), data))


@PROPERTY
@given(
    day=DAYS,
    kind=st.sampled_from(["objective-new", "playbook-new", "task-new"]),
    name=st.sampled_from(["start_date", "end_date"]),
)
def test_plan_children(client_for, plan, day, kind, name):
    data = {
        "name": "Child",
        "description": "",
        "start_date": "",
        "end_date": "",
        "status": Status.NOT_STARTED,
        "resource": "",
        "playbook": "",
        name: day.isoformat(),
    }
    ok(client_for("csm").post(reverse(f"successplans:{kind}", args=[plan.pk]), data))


@PROPERTY
@given(day=DAYS)
def test_objective_kpi(client_for, plan, day):
    objective = ObjectiveFactory(plan=plan)
    data = {
        "name": "KPI",
        "unit": "%",
        "baseline": "1",
        "current": "2",
        "target": "3",
        "direction": ObjectiveKPI.Direction.HIGHER,
        "due_date": day.isoformat(),
    }
    ok(client_for("csm").post(reverse("successplans:kpi-new", args=[objective.pk]), data))


@PROPERTY
@given(day=DAYS)
def test_cs_activity(client_for, plan, day):
    data = {"type": CSActivity.Type.CALL, "date": day.isoformat(), "subject": "Call", "notes": ""}
    ok(client_for("csm").post(reverse("successplans:activity-new", args=[plan.pk]), data))


@PROPERTY
@given(day=DAYS)
def test_change_effective_date(client_for, plan, day):
    """With children a year either side of the plan's effective date (offsets ±365 days)."""
    if not plan.objectives.exists():
        objective = ObjectiveFactory(
            plan=plan, start_date=date(2025, 1, 5), end_date=date(2027, 1, 5)
        )
        objective.anchor_to(plan.effective_date)
        objective.save()
        kpi = ObjectiveKPIFactory(objective=objective, due_date=date(2027, 1, 5))
        kpi.anchor_to(plan.effective_date)
        kpi.save()
    url = reverse("successplans:plan-effective-date", args=[plan.pk])
    ok(client_for("csm").post(url, {"effective_date": day.isoformat(), "confirmed": "1"}))


@pytest.fixture
def templates(db):
    """A template with every kind of child (offsets up to 60 days) and one without children
    that lasts a year."""
    return (
        build_template(name="With children"),
        TemplateFactory(name="Year", effective_date=date(2025, 1, 1), end_date=date(2025, 12, 31)),
    )


@PROPERTY
@given(day=DAYS, with_children=st.booleans())
def test_plan_from_template(client_for, templates, day, with_children):
    template = templates[0] if with_children else templates[1]
    data = {
        "name": "From template",
        "account": AccountFactory().pk,
        "effective_date": day.isoformat(),
        "owner": "",
        "create": "1",
    }
    ok(client_for("csm").post(reverse("successplans:template-create", args=[template.pk]), data))


# -- success case forms -----------------------------------------------------------------------
@PROPERTY
@given(day=DAYS, name=st.sampled_from(["planned_start", "planned_end"]))
def test_case_core_information(client_for, agent, day, name):
    case = case_services.success_case_create(engagement=EngagementFactory(), user=agent).case
    activity = current_activity(case)
    assert activity.kind == ActivityKind.CORE_INFORMATION
    data = {"short_description": "Adoption", "priority": 2, name: day.isoformat()}
    prefixed = {f"a{activity.pk}-{key}": value for key, value in data.items()}
    url = reverse("playbooks:activity-complete", args=[case.number, activity.pk])
    ok(client_for("agent").post(url, prefixed))


@pytest.fixture
def working_case(agent, db) -> SuccessCase:
    case = case_services.success_case_create(engagement=EngagementFactory(), user=agent).case
    work_until(case, agent, "Related meeting")
    return case


@PROPERTY
@given(day=DAYS, hour=st.sampled_from([time(0, 0), time(9, 0), time(23, 0)]))
def test_meeting(client_for, working_case, day, hour):
    start = datetime.combine(day, hour)
    data = {
        "subject": "Kickoff",
        "start": start.strftime("%Y-%m-%dT%H:%M").zfill(16),
        "end": f"{day.isoformat()}T23:59",
    }
    ok(client_for("agent").post(reverse("playbooks:meeting-new", args=[working_case.number]), data))


@PROPERTY
@given(day=DAYS)
def test_case_task(client_for, agent, working_case, day):
    data = {"short_description": "Train", "priority": 3, "due_date": day.isoformat()}
    ok(client_for("agent").post(reverse("playbooks:task-new", args=[working_case.number]), data))
