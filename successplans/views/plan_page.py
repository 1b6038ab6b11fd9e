"""A success plan's record page (Details, Related, Objective KPIs), its Objective KPI Overview
grid and Change effective date.

Reading needs ``view_successplan``; saving the grid needs ``change_objectivekpi`` and
changing the effective date ``change_successplan``, on GET and POST alike.
"""

from __future__ import annotations

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.errors import DomainError
from core.htmx import is_fragment
from core.htmx import render_page

from .. import selectors
from .. import services
from ..forms import EffectiveDateForm
from ..forms import PlanKPIGridFormSet
from ..models import SuccessPlan
from ..services import KPIGridConflict
from .access import login_required
from .access import record_to
from .access import require_perm
from .access import view_plans
from .related import form_error

TABS = {"details": "Details", "related": "Related", "kpis": "Objective KPIs"}
PREFIX = "form"  # the grid formset's (Django's default)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# -- the record page and its Objective KPI Overview grid ------------------------------------------
def _grid_formset(plan: SuccessPlan, data=None, kpis=None) -> PlanKPIGridFormSet:
    formset = PlanKPIGridFormSet(
        data,
        queryset=kpis if kpis is not None else selectors.plan_kpis(plan),
        objectives=list(plan.objectives.all()),
    )
    for number, form in enumerate(formset.forms, start=1 - formset.initial_form_count()):
        # A row added in the grid has no name yet: "new KPI 1", "new KPI 2"…
        row = form.instance.name if form.instance.pk else f"new KPI {number}"
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                label = "Delete" if name == "DELETE" else field.label
                field.widget.attrs["aria-label"] = f"{label} of {row}"
    return formset


def _with_added_row(data, plan: SuccessPlan):
    """The grid's post with one more blank row ("Add KPI", with or without JavaScript); its
    objective chosen already when the plan has only one."""
    data = data.copy()
    total = data.get(f"{PREFIX}-TOTAL_FORMS", "")
    if total.isdigit():
        data[f"{PREFIX}-TOTAL_FORMS"] = str(int(total) + 1)
        objectives = list(plan.objectives.all())
        if len(objectives) == 1:
            data[f"{PREFIX}-{total}-objective"] = str(objectives[0].pk)
    return data


def _hold_errors(formset) -> None:
    """Show the bound grid without judging it yet (an "Add KPI" round trip)."""
    formset._errors, formset._non_form_errors = [], formset.error_class()
    for form in formset.forms:
        form._errors = ErrorDict()


def _saved_message(added: int, changed: int, deleted: int) -> str:
    parts = [
        f"{count} {what}"
        for count, what in ((added, "added"), (changed, "changed"), (deleted, "deleted"))
        if count
    ]
    return f"Objective KPIs saved: {', '.join(parts)}." if parts else "No KPI was changed."


def _grid_error_summary(formset) -> str | None:
    rows = sum(1 for form in formset.forms if form.errors)
    if not rows and not formset.non_form_errors():
        return None
    if not rows:
        return "The grid has errors; nothing was saved."
    return f"{_plural(rows, 'row')} {'has' if rows == 1 else 'have'} errors; nothing was saved."


def _grid_after_conflict(plan: SuccessPlan, grid, conflict: KPIGridConflict):
    """The grid again, each conflicting cell with its message (both values)."""
    kpis = selectors.plan_kpis(plan)
    shown = _grid_formset(plan, grid.data_after_conflict(list(kpis)), kpis=kpis)
    shown.is_valid()  # stored values and what was typed (already valid)
    rows = {form.instance.pk: form for form in shown.forms}
    for cell in conflict.conflicts:
        if cell.kpi_pk in rows:
            rows[cell.kpi_pk].add_error(cell.field, cell.message)
    return shown


def _plan_page(
    request: HttpRequest, pk: int, *, tab: str, grid=None, summary: str | None = None
) -> HttpResponse:
    plan = get_object_or_404(selectors.plan_detail(), pk=pk)
    can_edit_kpis = request.user.has_perm("successplans.change_objectivekpi")
    context = {
        "plan": plan,
        "tab": tab,
        "tabs": TABS,
        "can_edit": request.user.has_perm("successplans.change_successplan"),
        "can_edit_kpis": can_edit_kpis,
    }
    if tab == "kpis" and can_edit_kpis:
        context["grid"] = grid if grid is not None else _grid_formset(plan)
        context["grid_error_summary"] = summary or (grid is not None and _grid_error_summary(grid))
    if tab != "kpis":
        return render(request, "successplans/plan_detail.html", context)
    return render_page(
        request, "successplans/plan_detail.html", "successplans/partials/kpi_grid.html", context
    )


@login_required
@view_plans
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tab = request.GET.get("tab", "details")
    return _plan_page(request, pk, tab=tab if tab in TABS else "details")


@login_required
@view_plans
@require_POST
def kpi_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the Objective KPI Overview grid: the cells the user changed, or nothing if any is
    invalid or was changed by someone else since the grid was opened."""
    require_perm(request, "change", "objectivekpi")
    plan = get_object_or_404(SuccessPlan, pk=pk)
    if "add_row" in request.POST:
        grid = _grid_formset(plan, _with_added_row(request.POST, plan))
        _hold_errors(grid)
        return _plan_page(request, pk, tab="kpis", grid=grid)
    grid = _grid_formset(plan, request.POST)
    if not grid.is_valid():
        return _plan_page(request, pk, tab="kpis", grid=grid)
    if grid.additions():  # adding and deleting need their own permissions too
        require_perm(request, "add", "objectivekpi")
    if grid.deletions():
        require_perm(request, "delete", "objectivekpi")
    edits = grid.edits()
    changes = [(kpi, entered) for kpi, entered, _ in edits]
    added = [services.KPIAdded(objective=o, data=data) for o, data in grid.additions()]
    deleted = grid.deletions()
    try:
        services.kpi_grid_apply(
            plan=plan,
            user=request.user,
            changes=changes,
            loaded={kpi.pk: loaded for kpi, _, loaded in edits},
            added=added,
            deleted=deleted,
        )
    except KPIGridConflict as conflict:
        grid = _grid_after_conflict(plan, grid, conflict)
        return _plan_page(request, pk, tab="kpis", grid=grid, summary=str(conflict))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _saved_message(len(added), len(changes), len(deleted)))
    if is_fragment(request):
        return _plan_page(request, pk, tab="kpis")
    return redirect(f"{reverse('successplans:plan-detail', args=[plan.pk])}?tab=kpis")


# -- Change effective date ----------------------------------------------------------------------
def _back_to_plan(request: HttpRequest, plan: SuccessPlan) -> HttpResponse:
    """After the move: the plan's page, where every child's dates changed, with the message.

    (Not an in-place change: htmx is told to load that page.)
    """
    if request.htmx:
        return HttpResponseClientRedirect(plan.get_absolute_url())
    return redirect(plan.get_absolute_url())


def _effective_date_page(
    request: HttpRequest, plan: SuccessPlan, *, form, preview=None, new_date=None
) -> HttpResponse:
    context = {
        "plan": plan,
        "form": form,
        "preview": preview,
        "new_date": new_date,
        "new_end_date": (
            plan.end_date + (new_date - plan.effective_date) if preview and plan.end_date else None
        ),
        "shift_days": abs(preview.days) if preview else None,
    }
    return render_page(
        request,
        "successplans/plan_effective_date.html",
        "successplans/partials/plan_effective_date_step.html",
        context,
    )


@login_required
@view_plans
def plan_effective_date(request: HttpRequest, pk: int) -> HttpResponse:
    """Change effective date: choose the date, see what moves, confirm.

    The first post shows how many child records move and how many dates
    changed by hand will be lost (nothing changes yet); the Confirm form posts
    the same date with ``confirmed=1`` and the children move in a fixed number
    of queries (``services.plan_change_effective_date``).
    """
    plan = record_to(request, "change", selectors.plan_for_change(), pk=pk)
    form = EffectiveDateForm(
        request.POST if request.method == "POST" else None,
        initial={"effective_date": plan.effective_date},
    )
    if not form.is_valid():
        return _effective_date_page(request, plan, form=form)
    new_date = form.cleaned_data["effective_date"]
    if new_date == plan.effective_date:
        messages.info(request, "The effective date is unchanged.")
        if is_fragment(request):  # nothing moved: the step stays, with the message
            return _effective_date_page(request, plan, form=form)
        return redirect(plan.get_absolute_url())
    if request.POST.get("confirmed") != "1":
        preview = selectors.effective_date_preview(plan=plan, new_date=new_date)
        return _effective_date_page(request, plan, form=form, preview=preview, new_date=new_date)
    try:
        moved = services.plan_change_effective_date(plan=plan, new_date=new_date)
    except DomainError as error:
        form_error(form, error)
        return _effective_date_page(request, plan, form=form)
    messages.success(
        request,
        f"Effective date changed to {new_date:%b} {new_date.day}, {new_date.year}: "
        f"{_plural(moved.moving, 'child record')} moved "
        f"{'back ' if moved.days < 0 else ''}by {_plural(abs(moved.days), 'day')}.",
    )
    return _back_to_plan(request, plan)


urlpatterns = [
    path("plans/<int:pk>/", plan_detail, name="plan-detail"),
    path("plans/<int:pk>/effective-date/", plan_effective_date, name="plan-effective-date"),
    path("plans/<int:pk>/kpis/", kpi_grid, name="kpi-grid"),
]
