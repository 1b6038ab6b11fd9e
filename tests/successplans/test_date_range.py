"""Issue 18, defects 1-3: every date of a success plan stays in 1900-01-01..2999-12-31.

1. A child's date typed past the range is refused next to the field, the database refuses
   one written around the forms, and Change effective date refuses a shift that would move a
   child out of the range, naming how many and which; nothing is half-written.
2. The Success Tracker's timeline never overflows, whatever the dates and the window.
3. Out-of-range query strings and posts (tracker start, template create) get a message.
"""

import re
from datetime import date
from datetime import timedelta
from html import unescape

import pytest
from django.db import IntegrityError
from django.db import transaction
from django.urls import reverse

from core.dates import MAX_DATE
from core.dates import MIN_DATE
from core.dates import RANGE_MESSAGE
from successplans import timeline
from successplans.models import CSActivity
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import Status
from successplans.models import SuccessPlan
from tests.factories import AccountFactory

from .factories import CSActivityFactory
from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookFactory
from .factories import PlaybookTaskFactory
from .factories import SuccessPlanFactory
from .factories_templates import TemplateFactory
from .factories_templates import build_template

HTMX = {"HTTP_HX_REQUEST": "true"}


def field_error(response, name: str) -> str:
    """The message shown next to the field ``name`` (any form prefix), or ""."""
    match = re.search(
        rf'id="id_(?:[\w-]*-)?{name}_error"><p class="field-error">(.*?)</p>', response.text
    )
    return unescape(match.group(1)) if match else ""


def anchored(record, effective_date: date):
    """A child as the app creates it: its offsets fixed from the plan's effective date."""
    record.anchor_to(effective_date)
    record.save()
    return record


# -- 1. child dates and the effective-date shift --------------------------------------------------
@pytest.fixture
def plan(db):
    return SuccessPlanFactory(
        name="Far future",
        account=AccountFactory(name="Northwind"),
        effective_date=date(2999, 1, 1),
        end_date=date(2999, 6, 30),
    )


def _child_form(kind: str, plan: SuccessPlan, **dates) -> tuple[str, dict, object]:
    """The edit URL of a new child of ``kind`` and a valid post for it."""
    common = {"name": "Renamed", "description": "", "status": Status.NOT_STARTED}
    if kind == "kpi":
        kpi = ObjectiveKPIFactory(objective=ObjectiveFactory(plan=plan), due_date=date(2999, 3, 1))
        data = {
            "name": "Renamed",
            "unit": "%",
            "baseline": "1",
            "current": "2",
            "target": "3",
            "direction": ObjectiveKPI.Direction.HIGHER,
            "due_date": "2999-03-01",
        }
        return reverse("successplans:kpi-edit", args=[kpi.pk]), {**data, **dates}, kpi
    factory, url = {
        "objective": (ObjectiveFactory, "successplans:objective-edit"),
        "playbook": (PlaybookFactory, "successplans:playbook-edit"),
        "task": (PlaybookTaskFactory, "successplans:task-edit"),
    }[kind]
    record = factory(plan=plan, start_date=date(2999, 1, 1), end_date=date(2999, 2, 1))
    data = {**common, "start_date": "2999-01-01", "end_date": "2999-02-01", "resource": ""}
    if kind == "task":
        data["playbook"] = ""
    return reverse(url, args=[record.pk]), {**data, **dates}, record


@pytest.mark.parametrize(
    ("kind", "name", "value"),
    [
        ("objective", "end_date", "9999-12-31"),
        ("objective", "start_date", "0001-01-01"),
        ("playbook", "end_date", "9999-12-31"),
        ("task", "end_date", "3000-01-01"),
        ("kpi", "due_date", "9999-12-31"),
        ("kpi", "due_date", "1899-12-31"),
    ],
)
def test_a_child_date_outside_the_range_is_refused_next_to_the_field(
    client_for, plan, kind, name, value
):
    url, data, record = _child_form(kind, plan, **{name: value})
    before = getattr(record, name)
    response = client_for("csm").post(url, data, **HTMX)
    assert response.status_code == 200
    assert field_error(response, name) == RANGE_MESSAGE
    record.refresh_from_db()
    assert getattr(record, name) == before
    assert record.name != "Renamed"


def test_a_cs_activity_date_outside_the_range_is_refused(client_for, plan):
    activity = CSActivityFactory(plan=plan, date=date(2999, 1, 1), subject="Kickoff call")
    url = reverse("successplans:activity-edit", args=[activity.pk])
    data = {"type": CSActivity.Type.CALL, "date": "9999-12-31", "subject": "Moved", "notes": ""}
    response = client_for("csm").post(url, data, **HTMX)
    assert field_error(response, "date") == RANGE_MESSAGE
    activity.refresh_from_db()
    assert (activity.date, activity.subject) == (date(2999, 1, 1), "Kickoff call")


def test_a_new_plan_outside_the_range_is_refused(client_for, db):
    account = AccountFactory()
    data = {
        "account": account.pk,
        "name": "Too late",
        "description": "",
        "effective_date": "2999-01-01",
        "end_date": "9999-12-31",
        "status": Status.NOT_STARTED,
        "owner": "",
        "challenges-TOTAL_FORMS": "0",
        "challenges-INITIAL_FORMS": "0",
    }
    response = client_for("csm").post(reverse("successplans:plan-new"), data)
    assert response.status_code == 200
    assert field_error(response, "end_date") == RANGE_MESSAGE
    assert not SuccessPlan.objects.filter(name="Too late").exists()


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (SuccessPlan, "effective_date"),
        (SuccessPlan, "end_date"),
        (Objective, "start_date"),
        (Objective, "end_date"),
        (Playbook, "end_date"),
        (PlaybookTask, "start_date"),
        (ObjectiveKPI, "due_date"),
        (CSActivity, "date"),
    ],
)
@pytest.mark.parametrize("day", [date(3000, 1, 1), date(1899, 12, 31)])
def test_the_database_refuses_a_date_outside_the_range(plan, model, name, day):
    objective = ObjectiveFactory(plan=plan)
    rows = {
        SuccessPlan: plan,
        Objective: objective,
        Playbook: PlaybookFactory(plan=plan),
        PlaybookTask: PlaybookTaskFactory(plan=plan),
        ObjectiveKPI: ObjectiveKPIFactory(objective=objective),
        CSActivity: CSActivityFactory(plan=plan),
    }
    row = rows[model]
    # Around the forms and the validators, as a bulk update in SQL would.
    extra = {"end_date": None} if model is SuccessPlan and name == "effective_date" else {}
    extra.update({"start_date": None} if name == "end_date" and model is not SuccessPlan else {})
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{name: day}, **extra)


@pytest.fixture
def far_children(plan):
    """An objective ending and a KPI due late in 2999, and a playbook safely inside it."""
    objective = anchored(
        ObjectiveFactory(
            plan=plan, name="Adoption", start_date=date(2999, 1, 1), end_date=date(2999, 12, 1)
        ),
        plan.effective_date,
    )
    kpi = anchored(
        ObjectiveKPIFactory(objective=objective, name="Weekly users", due_date=date(2999, 12, 20)),
        plan.effective_date,
    )
    playbook = anchored(
        PlaybookFactory(
            plan=plan, name="Kickoff", start_date=date(2999, 1, 1), end_date=date(2999, 1, 31)
        ),
        plan.effective_date,
    )
    return objective, kpi, playbook


def _dates(plan) -> list:
    """Every date of the plan and its children, to check that nothing was written."""
    plan.refresh_from_db()
    rows = [(plan.effective_date, plan.end_date)]
    for model in (Objective, Playbook, PlaybookTask):
        rows += list(model.objects.filter(plan=plan).values_list("start_date", "end_date"))
    rows += list(ObjectiveKPI.objects.filter(objective__plan=plan).values_list("due_date"))
    return rows


def test_a_shift_moving_children_past_the_range_is_refused_naming_them(
    client_for, plan, far_children
):
    before = _dates(plan)
    url = reverse("successplans:plan-effective-date", args=[plan.pk])
    response = client_for("csm").post(url, {"effective_date": "2999-03-01", "confirmed": "1"})
    assert response.status_code == 200
    assert field_error(response, "effective_date") == (
        "This shift would move 2 records outside 1900-01-01\N{EN DASH}2999-12-31: "
        "Objective “Adoption” end date, Objective KPI “Weekly users” due date. "
        "Nothing was changed."
    )
    assert _dates(plan) == before


def test_a_shift_moving_the_plan_end_date_past_the_range_is_refused(client_for, db):
    plan = SuccessPlanFactory(
        name="Long", effective_date=date(2999, 1, 1), end_date=date(2999, 12, 31)
    )
    url = reverse("successplans:plan-effective-date", args=[plan.pk])
    response = client_for("csm").post(url, {"effective_date": "2999-01-02", "confirmed": "1"})
    assert field_error(response, "effective_date").startswith(
        "This shift would move 1 record outside 1900-01-01\N{EN DASH}2999-12-31: "
        "Success plan “Long” end date."
    )
    plan.refresh_from_db()
    assert (plan.effective_date, plan.end_date) == (date(2999, 1, 1), date(2999, 12, 31))


def test_a_shift_moving_children_before_the_range_is_refused(client_for, db):
    plan = SuccessPlanFactory(name="Early", effective_date=date(1900, 3, 1), end_date=None)
    objective = anchored(
        ObjectiveFactory(
            plan=plan, name="Baseline", start_date=date(1900, 1, 15), end_date=date(1900, 3, 1)
        ),
        plan.effective_date,
    )
    url = reverse("successplans:plan-effective-date", args=[plan.pk])
    response = client_for("csm").post(url, {"effective_date": "1900-02-01", "confirmed": "1"})
    assert field_error(response, "effective_date").startswith(
        "This shift would move 1 record outside 1900-01-01\N{EN DASH}2999-12-31: "
        "Objective “Baseline” start date."
    )
    objective.refresh_from_db()
    assert objective.start_date == date(1900, 1, 15)


def test_a_shift_inside_the_range_still_moves_everything(client_for, plan, far_children):
    objective, kpi, _playbook = far_children
    url = reverse("successplans:plan-effective-date", args=[plan.pk])
    response = client_for("csm").post(url, {"effective_date": "2998-12-01", "confirmed": "1"})
    assert response.status_code == 302
    objective.refresh_from_db()
    kpi.refresh_from_db()
    assert objective.end_date == date(2999, 12, 1) - timedelta(days=31)
    assert kpi.due_date == date(2999, 12, 20) - timedelta(days=31)


def test_the_new_effective_date_itself_is_bounded(client_for, plan):
    url = reverse("successplans:plan-effective-date", args=[plan.pk])
    response = client_for("csm").post(url, {"effective_date": "9999-12-31", "confirmed": "1"})
    assert response.status_code == 200
    assert field_error(response, "effective_date") == RANGE_MESSAGE


# -- 2. the tracker's timeline never overflows ---------------------------------------------------
@pytest.mark.parametrize("zoom", list(timeline.Zoom))
@pytest.mark.parametrize("start", [date.min, MIN_DATE, MAX_DATE, date.max])
def test_the_timeline_never_overflows_near_the_limits(zoom, start):
    win = timeline.window(zoom, start)
    assert MIN_DATE <= win.start <= MAX_DATE
    assert MIN_DATE <= win.previous_start <= MAX_DATE
    assert MIN_DATE <= win.next_start <= MAX_DATE
    assert timeline.ticks(win)
    bar = timeline.bar(win, win.start, date.max)
    assert bar is not None and bar.clipped_end
    assert timeline.bar(win, date.min, date.min) is None or win.start == date.min
    assert timeline.bar(win, MAX_DATE, MAX_DATE) is None or win.contains(MAX_DATE)


def test_a_bar_ending_on_the_last_day_is_drawn_to_it():
    win = timeline.window(timeline.Zoom.YEARS, date(2999, 1, 1))
    bar = timeline.bar(win, date(2999, 1, 1), date.max)
    assert bar.clipped_end
    end_of_range = timeline.bar(win, date(2999, 1, 1), MAX_DATE)
    assert end_of_range.width > 0


def test_the_tracker_shows_plans_ending_on_the_last_day(client_for, db):
    plan = SuccessPlanFactory(
        name="Until the end", effective_date=date(2999, 1, 1), end_date=MAX_DATE
    )
    ObjectiveFactory(plan=plan, start_date=date(2999, 6, 1), end_date=MAX_DATE)
    for zoom in timeline.Zoom:
        response = client_for("csm").get("/tracker/", {"zoom": zoom.value, "start": "2999-12-31"})
        assert response.status_code == 200
        assert "Until the end" in response.text


# -- 3. query strings and posts out of range ------------------------------------------------------
@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "3000-01-01", "1899-12-31"])
@pytest.mark.parametrize("who", ["agent", "csm", "participant", "manager"])
def test_a_tracker_start_outside_the_range_shows_the_message(client_for, who, start):
    response = client_for(who).get("/tracker/", {"start": start, "zoom": "years"})
    assert response.status_code == 200
    assert f"“{start}” is outside the dates the tracker shows. {RANGE_MESSAGE}" in unescape(
        response.text
    )
    # The default window (around today) is shown instead.
    assert response.context["start_param"] is None


@pytest.fixture
def template(db):
    return build_template(name="Onboarding — 90 days")


def _template_details(template, **overrides) -> dict:
    data = {
        "name": "Northwind onboarding",
        "account": AccountFactory(name="Northwind").pk,
        "effective_date": "2026-03-02",
        "owner": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01"])
def test_a_plan_from_a_template_outside_the_range_is_refused_next_to_the_field(
    client_for, template, day
):
    url = reverse("successplans:template-create", args=[template.pk])
    response = client_for("csm").post(url, _template_details(template, effective_date=day))
    assert response.status_code == 200
    assert response.context["step"] == "details"
    assert field_error(response, "effective_date") == RANGE_MESSAGE
    assert SuccessPlan.objects.filter(is_template=False).count() == 0


def test_a_template_whose_children_would_leave_the_range_is_refused_naming_them(client_for, db):
    template = TemplateFactory(name="Year plan", effective_date=date(2025, 1, 1), end_date=None)
    anchored(
        ObjectiveFactory(
            plan=template, name="Go live", start_date=date(2025, 1, 1), end_date=date(2025, 3, 1)
        ),
        template.effective_date,
    )
    url = reverse("successplans:template-create", args=[template.pk])
    data = _template_details(template, effective_date="2999-12-01")
    for post in (data, {**data, "grid": "1", "create": "1"}):
        response = client_for("csm").post(url, post)
        assert response.status_code == 200
        assert field_error(response, "effective_date").startswith(
            "This date would move 1 record outside 1900-01-01\N{EN DASH}2999-12-31: "
            "Objective “Go live” end date."
        )
    assert SuccessPlan.objects.filter(is_template=False).count() == 0


def test_a_childless_template_whose_plan_would_end_past_the_range_is_refused(client_for, db):
    template = TemplateFactory(
        name="Year plan", effective_date=date(2025, 1, 1), end_date=date(2025, 12, 31)
    )
    url = reverse("successplans:template-create", args=[template.pk])
    response = client_for("csm").post(
        url, {**_template_details(template, effective_date="2999-06-01"), "create": "1"}
    )
    assert response.status_code == 200
    assert field_error(response, "effective_date").startswith(
        "This date would move 1 record outside 1900-01-01\N{EN DASH}2999-12-31: "
        "Success plan end date."
    )
    assert SuccessPlan.objects.filter(is_template=False).count() == 0
