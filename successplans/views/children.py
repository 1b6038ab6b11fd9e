"""The plan's Related tab and the child records' pages.

Objectives (with their objective KPIs), playbooks, playbook tasks, business
challenges and CS activities are added, edited and deleted *in place* in the
related lists of the plan's Related tab: with htmx a link loads the form (or
the delete confirmation) into its list and the form posts back with htmx; the
answer is the list, re-read with ``selectors.plan_detail()``. Without
JavaScript the same URLs render a full page and redirect back to the Related
tab after saving (post/redirect/get). KPIs work the same way in the KPI list
of the objective's record page.

Every view needs ``view_plans``; every view that changes something asks
``access.require_perm`` on GET and POST, so a view-only role gets 403 and
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse

from .. import selectors, services
from ..charts import kpi_chart
from ..forms import (
    BusinessChallengeInlineForm,
    CSActivityForm,
    ObjectiveForm,
    ObjectiveKPIForm,
    PlaybookForm,
    PlaybookTaskForm,
)
from ..models import (
    BusinessChallenge,
    CSActivity,
    KPIValue,
    Objective,
    ObjectiveKPI,
    Playbook,
    PlaybookTask,
    RecordType,
    SuccessPlan,
)
from .access import login_required, record_type_step, require_perm, safe_next, view_plans


@dataclass(frozen=True)
class Kind:
    """One related list: its records' permission name, label and URL names."""

    key: str  # the list: successplans/partials/child_<key>.html, id "related-<key>"
    model: str  # permission codename suffix: add_<model>, change_<model>, ...
    label: str
    url: str  # URL name prefix: <url>-new, <url>-edit, <url>-delete
    object_type: str | None = None  # record types, when the object has them

    @property
    def target(self) -> str:
        return f"related-{self.key}"


OBJECTIVES = Kind(
    "objectives", "objective", "Objective", "objective", RecordType.ObjectType.OBJECTIVE
)
PLAYBOOKS = Kind("playbooks", "playbook", "Playbook", "playbook", RecordType.ObjectType.PLAYBOOK)
TASKS = Kind("tasks", "playbooktask", "Playbook Task", "task", RecordType.ObjectType.PLAYBOOK_TASK)
CHALLENGES = Kind("challenges", "businesschallenge", "Business Challenge", "plan-challenge")
ACTIVITIES = Kind(
    "activities", "csactivity", "CS Activity", "activity", RecordType.ObjectType.CS_ACTIVITY
)
KPIS = Kind("kpis", "objectivekpi", "Objective KPI", "kpi")
RELATED = {kind.key: kind for kind in (OBJECTIVES, PLAYBOOKS, TASKS, CHALLENGES, ACTIVITIES)}


def _inplace(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def related_url(plan_id: int) -> str:
    return reverse("successplans:plan-detail", args=[plan_id]) + "?tab=related"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# -- reading ----------------------------------------------------------------------------------
_PLAN = SuccessPlan.objects.select_related("account")


def _related_plan(plan_id: int) -> SuccessPlan:
    """The plan with every related list, as the plan page reads it."""
    return get_object_or_404(selectors.plan_detail(), pk=plan_id)


def _kpis_with_history():
    return ObjectiveKPI.objects.order_by("name", "pk").prefetch_related(
        Prefetch("history", queryset=KPIValue.objects.select_related("recorded_by"))
    )


def _objective_page_qs():
    return Objective.objects.select_related(
        "plan__account", "resource__user", "record_type"
    ).prefetch_related(Prefetch("kpis", queryset=_kpis_with_history()))


def _kpi_rows(objective: Objective) -> list[dict]:
    rows = []
    for kpi in objective.kpis.all():
        history = list(kpi.history.all())
        rows.append({"kpi": kpi, "history": history, "chart": kpi_chart(kpi, history)})
    return rows


# -- responses --------------------------------------------------------------------------------
def _list_html(request: HttpRequest, plan: SuccessPlan, kind: Kind, **context) -> str:
    return render_to_string(
        f"successplans/partials/child_{kind.key}.html",
        {"plan": plan, **context},
        request=request,
    )


def _related_fragment(
    request: HttpRequest, plan_id: int, kind: Kind, *, also: tuple[Kind, ...] = (), **context
) -> HttpResponse:
    """One related list, re-read; ``also`` lists that changed with it (swapped out of band)."""
    plan = _related_plan(plan_id)
    parts = [_list_html(request, plan, kind, **context)]
    parts += [_list_html(request, plan, other, oob=True) for other in also]
    return HttpResponse("".join(parts))


def _kpi_fragment(request: HttpRequest, objective_id: int, **context) -> HttpResponse:
    objective = get_object_or_404(_objective_page_qs(), pk=objective_id)
    return render(
        request,
        "successplans/partials/child_kpis.html",
        {"objective": objective, "kpi_rows": _kpi_rows(objective), **context},
    )


def _panel_page(
    request: HttpRequest, kind: Kind, plan: SuccessPlan, panel: dict, *, objective=None
) -> HttpResponse:
    """A form, record type picker or delete confirmation: in its list, or as a page."""
    if _inplace(request):
        panel["target"] = "objective-kpis" if kind is KPIS else kind.target
        if kind is KPIS:
            return _kpi_fragment(request, objective.pk, panel=panel)
        return _related_fragment(request, plan.pk, kind, panel=panel)
    template = "child_delete.html" if panel.get("confirm") else "child_form.html"
    if kind is KPIS and not panel.get("confirm"):
        template = "kpi_form.html"
    context = {"plan": plan, "objective": objective, "panel": panel, "kind": kind}
    return render(request, f"successplans/{template}", context)


def _done(
    request: HttpRequest,
    kind: Kind,
    plan_id: int,
    notice: str,
    *,
    also: tuple[Kind, ...] = (),
    next_default: str | None = None,
    objective_id: int | None = None,
) -> HttpResponse:
    """After a change: the fresh list for htmx, a redirect for a plain post (PRG)."""
    if _inplace(request):
        if kind is KPIS:
            return _kpi_fragment(request, objective_id, notice=notice)
        return _related_fragment(request, plan_id, kind, also=also, notice=notice)
    messages.success(request, notice)
    return redirect(safe_next(request) or next_default or related_url(plan_id))


def _cancel(request: HttpRequest, kind: Kind, plan_id: int, objective_id: int | None = None):
    """Where Cancel goes: the list again for htmx; the page the user came from otherwise."""
    if kind is KPIS:
        page = reverse("successplans:objective-detail", args=[objective_id])
        fragment = reverse("successplans:objective-kpis", args=[objective_id])
    else:
        page = related_url(plan_id)
        fragment = reverse("successplans:related-list", args=[plan_id, kind.key])
    return {"cancel": safe_next(request) or page, "cancel_hx": fragment}


def _form_panel(request, kind, plan, form, *, action, title, record_type=None, objective=None):
    panel = {
        "form": form,
        "action": action,
        "title": title,
        "record_type": record_type or getattr(form, "record_type", None),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        **_cancel(request, kind, plan.pk, objective.pk if objective else None),
    }
    return _panel_page(request, kind, plan, panel, objective=objective)


def _picker_panel(request, kind, plan, picker, *, action):
    panel = {
        "picker": picker,
        "action": action,
        "title": f"New {kind.label}: select a record type",
        "object_label": kind.label,
        **_cancel(request, kind, plan.pk),
    }
    return _panel_page(request, kind, plan, panel)


def _confirm_panel(request, kind, plan, record, *, action, cascade="", objective=None):
    panel = {
        "confirm": True,
        "record": record,
        "action": action,
        "title": f"Delete {kind.label}",
        "cascade": cascade,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        **_cancel(request, kind, plan.pk, objective.pk if objective else None),
    }
    return _panel_page(request, kind, plan, panel, objective=objective)


# -- generic create / edit / delete ----------------------------------------------------------
def _create(request: HttpRequest, plan_id: int, kind: Kind, build_form, save) -> HttpResponse:
    """Add a child to the plan: the record type picker first (when the object has types).

    ``build_form(data, plan, record_type)`` makes the form, ``save(form, plan)`` saves it.
    """
    require_perm(request, "add", kind.model)
    plan = get_object_or_404(_PLAN, pk=plan_id)
    action = reverse(f"successplans:{kind.url}-new", args=[plan.pk])
    record_type = None
    if kind.object_type is not None:
        record_type, picker = record_type_step(request, kind.object_type)
        if picker is not None:
            return _picker_panel(request, kind, plan, picker, action=action)
    form = build_form(request.POST or None, plan, record_type)
    form.instance.plan = plan  # the model's own checks (a task's playbook) compare plans
    if request.method == "POST" and form.is_valid():
        record = save(form, plan)
        return _done(request, kind, plan.pk, f"{kind.label} “{record}” created.")
    return _form_panel(
        request, kind, plan, form, action=action, title=f"New {kind.label}", record_type=record_type
    )


def _edit(request: HttpRequest, kind: Kind, record, form, save, *, also=()) -> HttpResponse:
    plan = record.plan
    title = f"Edit {kind.label}: {record}"  # before validation copies the input onto it
    if request.method == "POST" and form.is_valid():
        record = save(form, plan)
        return _done(request, kind, plan.pk, f"{kind.label} “{record}” saved.", also=also)
    action = reverse(f"successplans:{kind.url}-edit", args=_url_args(kind, record))
    return _form_panel(request, kind, plan, form, action=action, title=title)


def _delete(request: HttpRequest, kind: Kind, record, *, cascade: str = "", also=()):
    plan = record.plan
    if request.method == "POST":
        name = str(record)
        record.delete()
        return _done(request, kind, plan.pk, f"{kind.label} “{name}” deleted.", also=also)
    action = reverse(f"successplans:{kind.url}-delete", args=_url_args(kind, record))
    return _confirm_panel(request, kind, plan, record, action=action, cascade=cascade)


def _url_args(kind: Kind, record) -> list[int]:
    return [record.plan_id, record.pk] if kind is CHALLENGES else [record.pk]


def _save_with_plan(form, plan: SuccessPlan):
    return services.child_save(form=form, plan=plan)


def _save_task(form, plan: SuccessPlan) -> PlaybookTask:
    return services.task_save(form=form, plan=plan)


def _change(request: HttpRequest, kind: Kind, queryset, pk: int):
    require_perm(request, "change", kind.model)
    return get_object_or_404(queryset, pk=pk)


# -- the Related tab's lists -----------------------------------------------------------------
@login_required
@view_plans
def related_list(request: HttpRequest, plan_id: int, key: str) -> HttpResponse:
    """One related list for htmx (Cancel in a form); the Related tab otherwise."""
    kind = RELATED.get(key)
    if kind is None:
        raise Http404("No such related list.")
    if not _inplace(request):
        get_object_or_404(SuccessPlan, pk=plan_id)
        return redirect(related_url(plan_id))
    return _related_fragment(request, plan_id, kind)


# -- objectives ------------------------------------------------------------------------------
@login_required
@view_plans
def objective_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    def build_form(data, plan, record_type):
        return ObjectiveForm(data, record_type=record_type)

    return _create(request, plan_id, OBJECTIVES, build_form, _save_with_plan)


@login_required
@view_plans
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _change(request, OBJECTIVES, Objective.objects.select_related("plan__account"), pk)
    form = ObjectiveForm(request.POST or None, instance=objective)
    return _edit(request, OBJECTIVES, objective, form, _save_with_plan)


@login_required
@view_plans
def objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "delete", OBJECTIVES.model)
    objective = get_object_or_404(
        Objective.objects.select_related("plan__account").annotate(kpi_count=Count("kpis")), pk=pk
    )
    cascade = f"This also deletes its {_plural(objective.kpi_count, 'KPI')}."
    return _delete(request, OBJECTIVES, objective, cascade=cascade)


@login_required
@view_plans
def objective_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(_objective_page_qs(), pk=pk)
    context = {"objective": objective, "plan": objective.plan, "kpi_rows": _kpi_rows(objective)}
    return render(request, "successplans/objective_detail.html", context)


# -- objective KPIs ----------------------------------------------------------------------------
def _kpi_form_page(request: HttpRequest, objective: Objective, form, *, action: str, title: str):
    if request.method == "POST" and form.is_valid():
        verb = "saved" if form.instance.pk else "created"
        kpi = services.kpi_save(form=form, user=request.user)
        return _done(
            request,
            KPIS,
            objective.plan_id,
            f"Objective KPI “{kpi}” {verb}.",
            next_default=objective.get_absolute_url(),
            objective_id=objective.pk,
        )
    return _form_panel(
        request, KPIS, objective.plan, form, action=action, title=title, objective=objective
    )


@login_required
@view_plans
def objective_kpis(request: HttpRequest, pk: int) -> HttpResponse:
    """The objective's KPI list for htmx (Cancel in a KPI form); the objective page otherwise."""
    if not _inplace(request):
        return redirect(get_object_or_404(Objective, pk=pk))
    return _kpi_fragment(request, pk)


@login_required
@view_plans
def kpi_new(request: HttpRequest, objective_id: int) -> HttpResponse:
    require_perm(request, "add", KPIS.model)
    objective = get_object_or_404(
        Objective.objects.select_related("plan__account"), pk=objective_id
    )
    form = ObjectiveKPIForm(request.POST or None)
    form.instance.objective = objective
    action = reverse("successplans:kpi-new", args=[objective.pk])
    return _kpi_form_page(request, objective, form, action=action, title="New Objective KPI")


@login_required
@view_plans
def kpi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kpi = _change(
        request, KPIS, ObjectiveKPI.objects.select_related("objective__plan__account"), pk
    )
    form = ObjectiveKPIForm(request.POST or None, instance=kpi)
    action = reverse("successplans:kpi-edit", args=[kpi.pk])
    return _kpi_form_page(
        request, kpi.objective, form, action=action, title=f"Edit Objective KPI: {kpi}"
    )


@login_required
@view_plans
def kpi_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "delete", KPIS.model)
    kpi = get_object_or_404(
        ObjectiveKPI.objects.select_related("objective__plan__account").annotate(
            value_count=Count("history")
        ),
        pk=pk,
    )
    objective = kpi.objective
    if request.method == "POST":
        name = str(kpi)
        kpi.delete()
        return _done(
            request,
            KPIS,
            objective.plan_id,
            f"Objective KPI “{name}” deleted.",
            next_default=objective.get_absolute_url(),
            objective_id=objective.pk,
        )
    cascade = f"This also deletes its history ({_plural(kpi.value_count, 'recorded value')})."
    action = reverse("successplans:kpi-delete", args=[kpi.pk])
    return _confirm_panel(
        request, KPIS, objective.plan, kpi, action=action, cascade=cascade, objective=objective
    )


# -- playbooks -------------------------------------------------------------------------------
@login_required
@view_plans
def playbook_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    def build_form(data, plan, record_type):
        return PlaybookForm(data, record_type=record_type)

    return _create(request, plan_id, PLAYBOOKS, build_form, _save_with_plan)


@login_required
@view_plans
def playbook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = _change(request, PLAYBOOKS, Playbook.objects.select_related("plan__account"), pk)
    form = PlaybookForm(request.POST or None, instance=playbook)
    # Tasks show their playbook's name: their list changes too.
    return _edit(request, PLAYBOOKS, playbook, form, _save_with_plan, also=(TASKS,))


@login_required
@view_plans
def playbook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "delete", PLAYBOOKS.model)
    playbook = get_object_or_404(
        Playbook.objects.select_related("plan__account").annotate(task_count=Count("tasks")), pk=pk
    )
    cascade = f"This also deletes its {_plural(playbook.task_count, 'task')}."
    return _delete(request, PLAYBOOKS, playbook, cascade=cascade, also=(TASKS,))


@login_required
@view_plans
def playbook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = get_object_or_404(
        Playbook.objects.select_related(
            "plan__account", "resource__user", "record_type"
        ).prefetch_related(
            Prefetch(
                "tasks",
                queryset=PlaybookTask.objects.select_related("record_type").prefetch_related(
                    "resources__user"
                ),
            )
        ),
        pk=pk,
    )
    context = {"playbook": playbook, "plan": playbook.plan}
    return render(request, "successplans/playbook_detail.html", context)


# -- playbook tasks --------------------------------------------------------------------------
@login_required
@view_plans
def task_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    # "New task" on a playbook's page preselects that playbook.
    initial = {"playbook": request.GET["playbook"]} if request.GET.get("playbook") else {}

    def build_form(data, plan, record_type):
        return PlaybookTaskForm(data, plan=plan, record_type=record_type, initial=initial)

    return _create(request, plan_id, TASKS, build_form, _save_task)


@login_required
@view_plans
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _change(request, TASKS, PlaybookTask.objects.select_related("plan__account"), pk)
    form = PlaybookTaskForm(request.POST or None, instance=task, plan=task.plan)
    return _edit(request, TASKS, task, form, _save_task)


@login_required
@view_plans
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "delete", TASKS.model)
    task = get_object_or_404(PlaybookTask.objects.select_related("plan__account"), pk=pk)
    return _delete(request, TASKS, task)


@login_required
@view_plans
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        PlaybookTask.objects.select_related(
            "plan__account", "playbook", "record_type"
        ).prefetch_related("resources__user"),
        pk=pk,
    )
    return render(request, "successplans/task_detail.html", {"task": task, "plan": task.plan})


# -- business challenges, from the plan's Related tab ------------------------------------------
def _challenge(request: HttpRequest, action: str, plan_id: int, pk: int) -> BusinessChallenge:
    require_perm(request, action, CHALLENGES.model)
    return get_object_or_404(
        BusinessChallenge.objects.select_related("plan__account"), plan_id=plan_id, pk=pk
    )


@login_required
@view_plans
def challenge_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    def build_form(data, plan, record_type):
        return BusinessChallengeInlineForm(data)

    return _create(request, plan_id, CHALLENGES, build_form, _save_with_plan)


@login_required
@view_plans
def challenge_edit(request: HttpRequest, plan_id: int, pk: int) -> HttpResponse:
    challenge = _challenge(request, "change", plan_id, pk)
    form = BusinessChallengeInlineForm(request.POST or None, instance=challenge)
    return _edit(request, CHALLENGES, challenge, form, _save_with_plan)


@login_required
@view_plans
def challenge_delete(request: HttpRequest, plan_id: int, pk: int) -> HttpResponse:
    return _delete(request, CHALLENGES, _challenge(request, "delete", plan_id, pk))


# -- CS activities -----------------------------------------------------------------------------
def _activity_saver(user):
    def save(form, plan: SuccessPlan) -> CSActivity:
        activity = form.save(commit=False)
        activity.plan = plan
        if activity.who_id is None:  # whoever logs it; editing keeps who logged it
            activity.who = user
        activity.save()
        return activity

    return save


@login_required
@view_plans
def activity_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    def build_form(data, plan, record_type):
        return CSActivityForm(data, record_type=record_type)

    return _create(request, plan_id, ACTIVITIES, build_form, _activity_saver(request.user))


@login_required
@view_plans
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _change(request, ACTIVITIES, CSActivity.objects.select_related("plan__account"), pk)
    form = CSActivityForm(request.POST or None, instance=activity)
    return _edit(request, ACTIVITIES, activity, form, _activity_saver(request.user))


@login_required
@view_plans
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "delete", ACTIVITIES.model)
    activity = get_object_or_404(CSActivity.objects.select_related("plan__account"), pk=pk)
    return _delete(request, ACTIVITIES, activity)


urlpatterns = [
    path("plans/<int:plan_id>/related/<slug:key>/", related_list, name="related-list"),
    # objectives and their KPIs
    path("plans/<int:plan_id>/objectives/new/", objective_new, name="objective-new"),
    path("objectives/<int:pk>/", objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/delete/", objective_delete, name="objective-delete"),
    path("objectives/<int:pk>/kpis/", objective_kpis, name="objective-kpis"),
    path("objectives/<int:objective_id>/kpis/new/", kpi_new, name="kpi-new"),
    path("kpis/<int:pk>/edit/", kpi_edit, name="kpi-edit"),
    path("kpis/<int:pk>/delete/", kpi_delete, name="kpi-delete"),
    # playbooks (success cases live under /cases/; /plan-playbooks/ avoids any doubt)
    path("plans/<int:plan_id>/playbooks/new/", playbook_new, name="playbook-new"),
    path("plan-playbooks/<int:pk>/", playbook_detail, name="playbook-detail"),
    path("plan-playbooks/<int:pk>/edit/", playbook_edit, name="playbook-edit"),
    path("plan-playbooks/<int:pk>/delete/", playbook_delete, name="playbook-delete"),
    # playbook tasks
    path("plans/<int:plan_id>/tasks/new/", task_new, name="task-new"),
    path("plan-tasks/<int:pk>/", task_detail, name="task-detail"),
    path("plan-tasks/<int:pk>/edit/", task_edit, name="task-edit"),
    path("plan-tasks/<int:pk>/delete/", task_delete, name="task-delete"),
    # business challenges in the Related tab (their own pages are under /business-challenges/)
    path("plans/<int:plan_id>/challenges/new/", challenge_new, name="plan-challenge-new"),
    path(
        "plans/<int:plan_id>/challenges/<int:pk>/edit/", challenge_edit, name="plan-challenge-edit"
    ),
    path(
        "plans/<int:plan_id>/challenges/<int:pk>/delete/",
        challenge_delete,
        name="plan-challenge-delete",
    ),
    # CS activities
    path("plans/<int:plan_id>/activities/new/", activity_new, name="activity-new"),
    path("plan-activities/<int:pk>/edit/", activity_edit, name="activity-edit"),
    path("plan-activities/<int:pk>/delete/", activity_delete, name="activity-delete"),
]
