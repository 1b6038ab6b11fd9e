"""The plan's Related tab and the child records' pages.

Objectives (with their objective KPIs), playbooks, playbook tasks, business challenges and
CS activities are added, edited and deleted in place in the related lists of the plan's
Related tab; KPIs in the KPI list of the objective's record page. Every view follows the one
pattern of ``views/related.py``: access helper → form → one service call → render. Deleting
is the same for every kind: one view, told its kind by the URL.

Every view needs ``view_plans``; every view that changes something asks for the model
permission on GET and POST (``access.record_to``), so a view-only role gets 403 and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db.models import Model
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from core.feedback import attempt
from core.htmx import is_fragment

from .. import selectors
from .. import services
from ..forms import BusinessChallengeForm
from ..forms import CSActivityForm
from ..forms import ObjectiveForm
from ..forms import ObjectiveKPIForm
from ..forms import PlaybookForm
from ..forms import PlaybookTaskForm
from ..models import BusinessChallenge
from ..models import CSActivity
from ..models import Objective
from ..models import ObjectiveKPI
from ..models import Playbook
from ..models import PlaybookTask
from ..models import RecordType
from ..models import SuccessPlan
from . import related
from .access import login_required
from .access import record_to
from .access import require_perm
from .access import safe_next
from .access import view_plans
from .related import ObjectiveKPIs
from .related import Related

OBJECTIVES = Related(
    Objective, "Objective", "objectives", "objective", RecordType.ObjectType.OBJECTIVE
)
# Tasks show their playbook's name: their list changes with the playbooks.
PLAYBOOKS = Related(
    Playbook, "Playbook", "playbooks", "playbook", RecordType.ObjectType.PLAYBOOK, ("tasks",)
)
TASKS = Related(PlaybookTask, "Playbook Task", "tasks", "task", RecordType.ObjectType.PLAYBOOK_TASK)
CHALLENGES = Related(BusinessChallenge, "Business Challenge", "challenges", "plan-challenge")
ACTIVITIES = Related(
    CSActivity, "CS Activity", "activities", "activity", RecordType.ObjectType.CS_ACTIVITY
)
KPIS = ObjectiveKPIs(ObjectiveKPI, "Objective KPI", "kpis", "kpi")
RELATED = {kind.key: kind for kind in (OBJECTIVES, PLAYBOOKS, TASKS, CHALLENGES, ACTIVITIES)}


# -- access ---------------------------------------------------------------------------------------
def _parent_to_add(request: HttpRequest, kind: Related, pk: int) -> SuccessPlan | Objective:
    """The plan (a KPI: the objective) a new record of ``kind`` goes under: 403 unless the user
    may add one, else 404."""
    require_perm(request, "add", kind.model._meta.model_name)
    if kind is KPIS:
        return get_object_or_404(Objective.objects.select_related("plan__account"), pk=pk)
    return get_object_or_404(SuccessPlan.objects.select_related("account"), pk=pk)


# -- the Related tab's lists and deleting any related record ------------------------------------
@login_required
@view_plans
def related_list(request: HttpRequest, plan_id: int, key: str) -> HttpResponse:
    """One related list for htmx (Cancel in a form); the Related tab otherwise."""
    kind = RELATED.get(key)
    if kind is None:
        raise Http404("No such related list.")
    if not is_fragment(request):
        plan = get_object_or_404(SuccessPlan, pk=plan_id)
        return redirect(kind.page_url(plan))
    return related.list_response(request, kind, plan_id)


@login_required
@view_plans
def objective_kpis(request: HttpRequest, pk: int) -> HttpResponse:
    """The objective's KPI list for htmx (Cancel in a KPI form); the objective page otherwise."""
    if not is_fragment(request):
        return redirect(get_object_or_404(Objective, pk=pk))
    return related.list_response(request, KPIS, pk)


@login_required
@view_plans
def record_delete(
    request: HttpRequest, pk: int, kind: Related, plan_id: int | None = None
) -> HttpResponse:
    """Delete any related record (``kind`` comes from the URL) after confirming."""
    lookup = {"pk": pk} if plan_id is None else {"pk": pk, "plan_id": plan_id}
    return related.delete(request, kind, record_to(request, "delete", kind.queryset(), **lookup))


# -- new and edit: one view each, told the kind by the URL -----------------------------------------
@dataclass(frozen=True)
class Edits:
    """How a kind of record is typed and saved: its form and its two services.

    Every create service takes ``plan`` (a KPI's: ``objective``) and ``data``; every update
    service the record (named ``name``) and ``data``. The flags say what else they take.
    """

    form: type[forms.ModelForm]
    create: Callable[..., Model]
    update: Callable[..., Model]
    name: str  # the update service's keyword for the record
    parent: str = "plan"
    record_types: bool = True  # the form and create take the record type
    form_gets_plan: bool = False  # the form offers the plan's playbooks, or checks the plan
    user_creates: bool = False  # create records who (CS activities, KPI history)
    changed_only: bool = False  # update takes only the changed fields, and who (KPI history)
    user_updates: bool = False  # update takes who (the assignment events name the actor)

    def build(self, request: HttpRequest, data, parent, *, record=None, record_type=None):
        kwargs = {"instance": record}
        if self.record_types and record is None:
            kwargs["record_type"] = record_type
        if self.form_gets_plan:
            kwargs["plan"] = parent
        if self.form in (ObjectiveForm, PlaybookForm) and record is None:
            # A new objective or playbook spans its plan until the user says otherwise.
            kwargs["initial"] = {"start_date": parent.effective_date, "end_date": parent.end_date}
        if self.form is PlaybookTaskForm and record is None:
            # "New task" on a playbook's page preselects that playbook.
            playbook = request.GET.get("playbook")
            kwargs["initial"] = {"playbook": playbook} if playbook else {}
        return self.form(data, **kwargs)

    def save_new(self, request: HttpRequest, parent, data: dict, record_type) -> Model:
        kwargs = {self.parent: parent, "data": data}
        if self.record_types:
            kwargs["record_type"] = record_type
        if self.user_creates:
            kwargs["user"] = request.user
        return self.create(**kwargs)

    def save(self, request: HttpRequest, record, form, data: dict) -> Model:
        if self.changed_only:
            changed = {name: data[name] for name in form.changed_data}
            return self.update(**{self.name: record}, data=changed, user=request.user)
        if self.user_updates:
            return self.update(**{self.name: record}, data=data, user=request.user)
        return self.update(**{self.name: record}, data=data)


EDITS = {
    OBJECTIVES: Edits(
        ObjectiveForm, services.objective_create, services.objective_update, "objective"
    ),
    PLAYBOOKS: Edits(PlaybookForm, services.playbook_create, services.playbook_update, "playbook"),
    TASKS: Edits(
        PlaybookTaskForm,
        services.task_create,
        services.task_update,
        "task",
        form_gets_plan=True,
        user_creates=True,
        user_updates=True,
    ),
    CHALLENGES: Edits(
        BusinessChallengeForm,
        services.challenge_create,
        services.challenge_update,
        "challenge",
        record_types=False,
        form_gets_plan=True,
    ),
    ACTIVITIES: Edits(
        CSActivityForm,
        services.activity_create,
        services.activity_update,
        "activity",
        user_creates=True,
    ),
    KPIS: Edits(
        ObjectiveKPIForm,
        services.kpi_create,
        services.kpi_update,
        "kpi",
        parent="objective",
        record_types=False,
        user_creates=True,
        changed_only=True,
    ),
}


@login_required
@view_plans
def record_new(request: HttpRequest, parent_id: int, kind: Related) -> HttpResponse:
    """A new record of ``kind`` under its plan (a KPI: under its objective)."""
    edits = EDITS[kind]
    parent = _parent_to_add(request, kind, parent_id)
    return related.create(
        request,
        kind,
        parent,
        lambda data, record_type: edits.build(request, data, parent, record_type=record_type),
        lambda data, record_type: edits.save_new(request, parent, data, record_type),
    )


@login_required
@view_plans
def record_edit(
    request: HttpRequest, pk: int, kind: Related, plan_id: int | None = None
) -> HttpResponse:
    edits = EDITS[kind]
    lookup = {"pk": pk} if plan_id is None else {"pk": pk, "plan_id": plan_id}
    record = record_to(request, "change", kind.queryset(), **lookup)
    form = edits.build(request, request.POST or None, kind.parent(record), record=record)
    return related.edit(
        request, kind, record, form, lambda data: edits.save(request, record, form, data)
    )


# -- record pages ---------------------------------------------------------------------------------
def _record_page(
    request: HttpRequest, kind: Related, record, *, delete_next: str = "", **context
) -> HttpResponse:
    """An objective's, playbook's or task's record page: its details, then ``section``."""
    name = kind.model._meta.model_name
    edit_url = delete_url = ""
    if request.user.has_perm(f"successplans.change_{name}"):
        edit_url = reverse(f"successplans:{kind.url}-edit", args=[record.pk])
        edit_url += "?" + urlencode({"next": request.path})
    if request.user.has_perm(f"successplans.delete_{name}"):
        delete_url = reverse(f"successplans:{kind.url}-delete", args=[record.pk])
        if delete_next:
            delete_url += "?" + urlencode({"next": delete_next})
    context = {
        "record": record,
        "plan": record.plan,
        "kind": kind,
        "edit_url": edit_url,
        "delete_url": delete_url,
        **context,
    }
    return render(request, "successplans/record_detail.html", context)


def _objective_page(objective: Objective) -> dict:
    return {
        "section": "successplans/partials/child_kpis.html",
        "objective": objective,
        "kpi_rows": selectors.kpi_rows(objective),
    }


def _playbook_page(playbook) -> dict:
    return {"section": "successplans/partials/playbook_tasks.html", "tasks": playbook.tasks.all()}


def _task_page(task) -> dict:
    back = task.playbook.get_absolute_url() if task.playbook else ""
    return {"parent": task.playbook, "delete_next": back}


#: What each record page reads (a selector) and shows below the record's details.
RECORD_PAGES = {
    OBJECTIVES: (selectors.objective_page, _objective_page),
    PLAYBOOKS: (selectors.playbook_page, _playbook_page),
    TASKS: (selectors.task_page, _task_page),
}


@login_required
@view_plans
def record_detail(request: HttpRequest, pk: int, kind: Related) -> HttpResponse:
    """An objective's, playbook's or task's record page (``kind`` comes from the URL)."""
    read, extra = RECORD_PAGES[kind]
    record = get_object_or_404(read(), pk=pk)
    return _record_page(request, kind, record, **extra(record))


def _new(url: str, kind: Related, name: str):
    return path(url, record_new, {"kind": kind}, name)


def _edit(url: str, kind: Related, name: str):
    return path(url, record_edit, {"kind": kind}, name)


def _delete(url: str, kind: Related, name: str):
    return path(url, record_delete, {"kind": kind}, name)


@login_required
@view_plans
@require_POST
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Start or Complete a playbook task from a list, without opening Edit."""
    task = record_to(request, "change", PlaybookTask.objects.select_related("plan"), pk=pk)
    attempt(
        request,
        services.task_status_change,
        task=task,
        status=request.POST.get("status", ""),
        user=request.user,
        success=lambda done: f"Playbook task “{done.name}” is {done.get_status_display()}.",
    )
    if is_fragment(request):
        return related.list_response(request, TASKS, task.plan_id)
    return redirect(safe_next(request) or TASKS.page_url(task.plan))


urlpatterns = [
    path("plans/<int:plan_id>/related/<slug:key>/", related_list, name="related-list"),
    path("plan-tasks/<int:pk>/status/", task_status, name="task-status"),
    # objectives and their KPIs
    _new("plans/<int:parent_id>/objectives/new/", OBJECTIVES, "objective-new"),
    path("objectives/<int:pk>/", record_detail, {"kind": OBJECTIVES}, "objective-detail"),
    _edit("objectives/<int:pk>/edit/", OBJECTIVES, "objective-edit"),
    _delete("objectives/<int:pk>/delete/", OBJECTIVES, "objective-delete"),
    path("objectives/<int:pk>/kpis/", objective_kpis, name="objective-kpis"),
    _new("objectives/<int:parent_id>/kpis/new/", KPIS, "kpi-new"),
    _edit("kpis/<int:pk>/edit/", KPIS, "kpi-edit"),
    _delete("kpis/<int:pk>/delete/", KPIS, "kpi-delete"),
    # playbooks (success cases live under /cases/; /plan-playbooks/ avoids any doubt)
    _new("plans/<int:parent_id>/playbooks/new/", PLAYBOOKS, "playbook-new"),
    path("plan-playbooks/<int:pk>/", record_detail, {"kind": PLAYBOOKS}, "playbook-detail"),
    _edit("plan-playbooks/<int:pk>/edit/", PLAYBOOKS, "playbook-edit"),
    _delete("plan-playbooks/<int:pk>/delete/", PLAYBOOKS, "playbook-delete"),
    # playbook tasks
    _new("plans/<int:parent_id>/tasks/new/", TASKS, "task-new"),
    path("plan-tasks/<int:pk>/", record_detail, {"kind": TASKS}, "task-detail"),
    _edit("plan-tasks/<int:pk>/edit/", TASKS, "task-edit"),
    _delete("plan-tasks/<int:pk>/delete/", TASKS, "task-delete"),
    # business challenges in the Related tab (their own pages are under /business-challenges/)
    _new("plans/<int:parent_id>/challenges/new/", CHALLENGES, "plan-challenge-new"),
    _edit("plans/<int:plan_id>/challenges/<int:pk>/edit/", CHALLENGES, "plan-challenge-edit"),
    _delete("plans/<int:plan_id>/challenges/<int:pk>/delete/", CHALLENGES, "plan-challenge-delete"),
    # CS activities
    _new("plans/<int:parent_id>/activities/new/", ACTIVITIES, "activity-new"),
    _edit("plan-activities/<int:pk>/edit/", ACTIVITIES, "activity-edit"),
    _delete("plan-activities/<int:pk>/delete/", ACTIVITIES, "activity-delete"),
]
