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

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode

from core.htmx import is_fragment

from .. import selectors, services
from ..forms import (
    BusinessChallengeForm,
    CSActivityForm,
    ObjectiveForm,
    ObjectiveKPIForm,
    PlaybookForm,
    PlaybookTaskForm,
)
from ..models import (
    BusinessChallenge,
    CSActivity,
    Objective,
    ObjectiveKPI,
    Playbook,
    PlaybookTask,
    RecordType,
    SuccessPlan,
)
from . import related
from .access import login_required, record_to, require_perm, view_plans
from .related import ObjectiveKPIs, Related

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
def _plan_to_add(request: HttpRequest, kind: Related, plan_id: int) -> SuccessPlan:
    """The plan a new record of ``kind`` goes under: 403 unless the user may add one, else 404."""
    require_perm(request, "add", kind.model._meta.model_name)
    return get_object_or_404(SuccessPlan.objects.select_related("account"), pk=plan_id)


def _to_change(request: HttpRequest, kind: Related, **lookup):
    return record_to(request, "change", kind.queryset(), **lookup)


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


# -- objectives and their KPIs --------------------------------------------------------------------
@login_required
@view_plans
def objective_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_to_add(request, OBJECTIVES, plan_id)
    return related.create(
        request,
        OBJECTIVES,
        plan,
        lambda data, record_type: ObjectiveForm(data, record_type=record_type),
        lambda data, record_type: services.objective_create(
            plan=plan, data=data, record_type=record_type
        ),
    )


@login_required
@view_plans
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _to_change(request, OBJECTIVES, pk=pk)
    form = ObjectiveForm(request.POST or None, instance=objective)
    return related.edit(
        request,
        OBJECTIVES,
        objective,
        form,
        lambda data: services.objective_update(objective=objective, data=data),
    )


@login_required
@view_plans
def kpi_new(request: HttpRequest, objective_id: int) -> HttpResponse:
    require_perm(request, "add", "objectivekpi")
    objective = get_object_or_404(
        Objective.objects.select_related("plan__account"), pk=objective_id
    )
    return related.create(
        request,
        KPIS,
        objective,
        lambda data, record_type: ObjectiveKPIForm(data),
        lambda data, record_type: services.kpi_create(
            objective=objective, data=data, user=request.user
        ),
    )


@login_required
@view_plans
def kpi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = _to_change(request, KPIS, pk=pk)
    form = ObjectiveKPIForm(request.POST or None, instance=kpi)
    return related.edit(
        request,
        KPIS,
        kpi,
        form,
        lambda data: services.kpi_update(
            kpi=kpi, data={name: data[name] for name in form.changed_data}, user=request.user
        ),
    )


# -- playbooks and playbook tasks -----------------------------------------------------------------
@login_required
@view_plans
def playbook_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_to_add(request, PLAYBOOKS, plan_id)
    return related.create(
        request,
        PLAYBOOKS,
        plan,
        lambda data, record_type: PlaybookForm(data, record_type=record_type),
        lambda data, record_type: services.playbook_create(
            plan=plan, data=data, record_type=record_type
        ),
    )


@login_required
@view_plans
def playbook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = _to_change(request, PLAYBOOKS, pk=pk)
    form = PlaybookForm(request.POST or None, instance=playbook)
    return related.edit(
        request,
        PLAYBOOKS,
        playbook,
        form,
        lambda data: services.playbook_update(playbook=playbook, data=data),
    )


@login_required
@view_plans
def task_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_to_add(request, TASKS, plan_id)
    # "New task" on a playbook's page preselects that playbook.
    initial = {"playbook": request.GET["playbook"]} if request.GET.get("playbook") else {}
    return related.create(
        request,
        TASKS,
        plan,
        lambda data, record_type: PlaybookTaskForm(
            data, plan=plan, record_type=record_type, initial=initial
        ),
        lambda data, record_type: services.task_create(
            plan=plan, data=data, record_type=record_type
        ),
    )


@login_required
@view_plans
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _to_change(request, TASKS, pk=pk)
    form = PlaybookTaskForm(request.POST or None, instance=task, plan=task.plan)
    return related.edit(
        request, TASKS, task, form, lambda data: services.task_update(task=task, data=data)
    )


# -- business challenges (the Business Challenges tab has their own pages) -----------------------
@login_required
@view_plans
def challenge_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_to_add(request, CHALLENGES, plan_id)
    return related.create(
        request,
        CHALLENGES,
        plan,
        lambda data, record_type: BusinessChallengeForm(data, plan=plan),
        lambda data, record_type: services.challenge_create(plan=plan, data=data),
    )


@login_required
@view_plans
def challenge_edit(request: HttpRequest, plan_id: int, pk: int) -> HttpResponse:
    challenge = _to_change(request, CHALLENGES, plan_id=plan_id, pk=pk)
    form = BusinessChallengeForm(request.POST or None, instance=challenge, plan=challenge.plan)
    return related.edit(
        request,
        CHALLENGES,
        challenge,
        form,
        lambda data: services.challenge_update(challenge=challenge, data=data),
    )


# -- CS activities --------------------------------------------------------------------------------
@login_required
@view_plans
def activity_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_to_add(request, ACTIVITIES, plan_id)
    return related.create(
        request,
        ACTIVITIES,
        plan,
        lambda data, record_type: CSActivityForm(data, record_type=record_type),
        lambda data, record_type: services.activity_create(
            plan=plan, data=data, user=request.user, record_type=record_type
        ),
    )


@login_required
@view_plans
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _to_change(request, ACTIVITIES, pk=pk)
    form = CSActivityForm(request.POST or None, instance=activity)
    return related.edit(
        request,
        ACTIVITIES,
        activity,
        form,
        lambda data: services.activity_update(activity=activity, data=data),
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


@login_required
@view_plans
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(selectors.objective_page(), pk=pk)
    return _record_page(
        request,
        OBJECTIVES,
        objective,
        section="successplans/partials/child_kpis.html",
        objective=objective,
        kpi_rows=selectors.kpi_rows(objective),
    )


@login_required
@view_plans
def playbook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = get_object_or_404(selectors.playbook_page(), pk=pk)
    return _record_page(
        request,
        PLAYBOOKS,
        playbook,
        section="successplans/partials/playbook_tasks.html",
        tasks=playbook.tasks.all(),
    )


@login_required
@view_plans
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(selectors.task_page(), pk=pk)
    back = task.playbook.get_absolute_url() if task.playbook else ""
    return _record_page(request, TASKS, task, parent=task.playbook, delete_next=back)


urlpatterns = [
    path("plans/<int:plan_id>/related/<slug:key>/", related_list, name="related-list"),
    # objectives and their KPIs
    path("plans/<int:plan_id>/objectives/new/", objective_new, name="objective-new"),
    path("objectives/<int:pk>/", objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/delete/", record_delete, {"kind": OBJECTIVES}, "objective-delete"),
    path("objectives/<int:pk>/kpis/", objective_kpis, name="objective-kpis"),
    path("objectives/<int:objective_id>/kpis/new/", kpi_new, name="kpi-new"),
    path("kpis/<int:pk>/edit/", kpi_edit, name="kpi-edit"),
    path("kpis/<int:pk>/delete/", record_delete, {"kind": KPIS}, "kpi-delete"),
    # playbooks (success cases live under /cases/; /plan-playbooks/ avoids any doubt)
    path("plans/<int:plan_id>/playbooks/new/", playbook_new, name="playbook-new"),
    path("plan-playbooks/<int:pk>/", playbook_detail, name="playbook-detail"),
    path("plan-playbooks/<int:pk>/edit/", playbook_edit, name="playbook-edit"),
    path("plan-playbooks/<int:pk>/delete/", record_delete, {"kind": PLAYBOOKS}, "playbook-delete"),
    # playbook tasks
    path("plans/<int:plan_id>/tasks/new/", task_new, name="task-new"),
    path("plan-tasks/<int:pk>/", task_detail, name="task-detail"),
    path("plan-tasks/<int:pk>/edit/", task_edit, name="task-edit"),
    path("plan-tasks/<int:pk>/delete/", record_delete, {"kind": TASKS}, "task-delete"),
    # business challenges in the Related tab (their own pages are under /business-challenges/)
    path("plans/<int:plan_id>/challenges/new/", challenge_new, name="plan-challenge-new"),
    path(
        "plans/<int:plan_id>/challenges/<int:pk>/edit/", challenge_edit, name="plan-challenge-edit"
    ),
    path(
        "plans/<int:plan_id>/challenges/<int:pk>/delete/",
        record_delete,
        {"kind": CHALLENGES},
        "plan-challenge-delete",
    ),
    # CS activities
    path("plans/<int:plan_id>/activities/new/", activity_new, name="activity-new"),
    path("plan-activities/<int:pk>/edit/", activity_edit, name="activity-edit"),
    path(
        "plan-activities/<int:pk>/delete/", record_delete, {"kind": ACTIVITIES}, "activity-delete"
    ),
]
