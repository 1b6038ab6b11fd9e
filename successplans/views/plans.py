"""Success plan pages: the Success Plans tab, Create Success Plan (blank or from a template),
New/Edit Success Plan, Change effective date, delete, the record page and its Objective KPI
Overview grid.

Reading needs ``view_successplan``; every change checks the model permission
on GET and POST (``require_perm``), so a view-only role gets 403 and nothing
changes. Plain form posts are redirected (post/redirect/get); htmx requests get
the fragment they swap.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import IntegrityError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.htmx import is_fragment
from core.pagination import paginate
from engagements.models import Account

from .. import selectors, services
from ..filters import SuccessPlanFilter
from ..forms import ChallengeFormSet, EffectiveDateForm, PlanKPIGridFormSet, SuccessPlanForm
from ..models import ChallengeCategory, RecordType, SuccessPlan
from .access import login_required, record_type_step, require_perm, safe_next, view_plans

CHALLENGES_PREFIX = "challenges"
TABS = {"details": "Details", "related": "Related", "kpis": "Objective KPIs"}


# -- helpers ------------------------------------------------------------------------------
def _challenges(request: HttpRequest, plan: SuccessPlan) -> ChallengeFormSet:
    """The business challenge rows of the Create/Edit Success Plan window.

    "Add business challenge" without JavaScript posts ``add_challenge``: the
    window comes back with what was typed and one more blank row.
    """
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        total = data.get(f"{CHALLENGES_PREFIX}-TOTAL_FORMS", "")
        if "add_challenge" in data and total.isdigit():
            data[f"{CHALLENGES_PREFIX}-TOTAL_FORMS"] = str(int(total) + 1)
    formset = ChallengeFormSet(data, instance=plan, prefix=CHALLENGES_PREFIX)
    _share_category_choices(formset.forms)
    return formset


def _share_category_choices(rows) -> None:
    """Read the category list once for all rows instead of once per row's select.

    (Validation still checks a posted category against the database.)
    """
    choices = [("", "---------")] + [
        (c.pk, c.name) for c in ChallengeCategory.objects.filter(active=True)
    ]
    for row in rows:
        row.fields["category"].choices = choices


def _hold_errors(*forms) -> None:
    """Show bound forms without validating them (an "Add business challenge" round trip).

    Rendering a bound field asks for its errors, which would validate the
    half-filled window and greet the user with "This field is required."
    """
    for form in forms:
        if hasattr(form, "forms"):  # a formset
            form._errors, form._non_form_errors = [], form.error_class()
            _hold_errors(*form.forms)
        else:
            form._errors = ErrorDict()


def _all_valid(*forms) -> bool:
    """Validate every part of the window (so each shows its errors), not just up to the first."""
    return all([form.is_valid() for form in forms])


def _plan_window(
    request: HttpRequest, *, form, challenges, plan: SuccessPlan | None, record_type
) -> HttpResponse:
    context = {
        "form": form,
        "challenges": challenges,
        "plan": plan,
        "record_type": record_type,
        "next": safe_next(request),
    }
    return render(request, "successplans/plan_form.html", context)


# -- Success Plans tab ------------------------------------------------------------------------
@login_required
@view_plans
def plan_list(request: HttpRequest) -> HttpResponse:
    filterset = SuccessPlanFilter(request.GET, queryset=selectors.plan_list())
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    context = {"filter": filterset, "page": paginate(request, rows)}
    if is_fragment(request):
        return render(request, "successplans/partials/plan_list_results.html", context)
    return render(request, "successplans/plan_list.html", context)


# -- Create Success Plan: blank or from a template ------------------------------------------------
def _create_query(request: HttpRequest) -> str:
    """The ``account`` and ``next`` the Create Success Plan choice passes on to either way."""
    kept = {}
    account_id = request.GET.get("account", "")
    if account_id.isdigit():
        kept["account"] = account_id
    if next_path := safe_next(request):
        kept["next"] = next_path
    return urlencode(kept)


@login_required
@view_plans
@require_GET
def plan_create(request: HttpRequest) -> HttpResponse:
    """Create Success Plan (an Account page, the Success Tracker, the Success Plans tab).

    The user chooses a blank plan or one from a template; ``?account=`` and
    ``?next=`` go on to either. (The Success Plans tab's New makes blank plans only.)
    """
    require_perm(request, "add", "successplan")
    account_id = request.GET.get("account", "")
    account = Account.objects.filter(pk=account_id).first() if account_id.isdigit() else None
    context = {"query": _create_query(request), "account": account, "next": safe_next(request)}
    return render(request, "successplans/plan_create.html", context)


# -- New Success Plan (blank) -------------------------------------------------------------------
@login_required
@view_plans
def plan_new(request: HttpRequest) -> HttpResponse:
    """A blank plan (``?account=`` pre-fills the Account, ``?next=`` is where saving returns)."""
    require_perm(request, "add", "successplan")
    record_type, picker = record_type_step(request, RecordType.ObjectType.SUCCESS_PLAN)
    if picker is not None:
        context = {"picker": picker, "object_label": "Success Plan"}
        return render(request, "successplans/plan_form.html", context)

    plan = SuccessPlan(record_type=record_type)
    challenges = _challenges(request, plan)
    if request.method == "POST":
        form = SuccessPlanForm(request.POST, record_type=record_type)
        if "add_challenge" in request.POST:
            _hold_errors(form, challenges)
        elif _all_valid(form, challenges):
            plan = services.plan_save(form=form, challenges=challenges)
            messages.success(request, f"Success plan “{plan.name}” created.")
            return redirect(safe_next(request) or plan.get_absolute_url())
    else:
        initial = {"effective_date": date.today()}
        account_id = request.GET.get("account", "")
        if account_id.isdigit() and Account.objects.filter(pk=account_id).exists():
            initial["account"] = int(account_id)
        form = SuccessPlanForm(initial=initial, record_type=record_type)
    return _plan_window(
        request, form=form, challenges=challenges, plan=None, record_type=record_type
    )


@login_required
@view_plans
def challenge_row(request: HttpRequest) -> HttpResponse:
    """htmx "Add business challenge": one more empty row, and the bumped TOTAL_FORMS."""
    require_perm(request, "add", "businesschallenge")
    raw = request.GET.get(f"{CHALLENGES_PREFIX}-TOTAL_FORMS", "")
    index = min(int(raw), 999) if raw.isdigit() else 0
    formset = ChallengeFormSet(prefix=CHALLENGES_PREFIX)
    row = formset.empty_form
    row.prefix = formset.add_prefix(index)
    _share_category_choices([row])
    context = {"row": row, "total": index + 1, "prefix": CHALLENGES_PREFIX}
    return render(request, "successplans/partials/plan_challenge_row_new.html", context)


# -- Edit Success Plan ------------------------------------------------------------------------
@login_required
@view_plans
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "change", "successplan")
    plan = get_object_or_404(
        SuccessPlan.objects.select_related("account", "owner__user", "record_type"), pk=pk
    )
    challenges = _challenges(request, plan)
    if request.method == "POST":
        form = SuccessPlanForm(request.POST, instance=plan)
        if "add_challenge" in request.POST:
            _hold_errors(form, challenges)
        elif _all_valid(form, challenges):
            plan = services.plan_save(form=form, challenges=challenges)
            messages.success(request, f"Success plan “{plan.name}” saved.")
            return redirect(safe_next(request) or plan.get_absolute_url())
    else:
        form = SuccessPlanForm(instance=plan)
    return _plan_window(
        request, form=form, challenges=challenges, plan=plan, record_type=plan.record_type
    )


# -- Change effective date ----------------------------------------------------------------------
def _back_to_plan(request: HttpRequest, plan: SuccessPlan) -> HttpResponse:
    if request.htmx:
        # The step was swapped in place: the whole page goes to the plan, with its message.
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
    template = "successplans/plan_effective_date.html"
    if is_fragment(request):
        template = "successplans/partials/plan_effective_date_step.html"
    return render(request, template, context)


@login_required
@view_plans
def plan_effective_date(request: HttpRequest, pk: int) -> HttpResponse:
    """Change effective date: choose the date, see what moves, confirm.

    The first post shows how many child records move and how many dates
    changed by hand will be lost (nothing changes yet); the Confirm form posts
    the same date with ``confirmed=1`` and the children move in a fixed number
    of queries (``services.plan_change_effective_date``).
    """
    require_perm(request, "change", "successplan")
    plan = get_object_or_404(SuccessPlan.objects.select_related("account"), pk=pk)
    if request.method != "POST":
        form = EffectiveDateForm(initial={"effective_date": plan.effective_date})
        return _effective_date_page(request, plan, form=form)

    form = EffectiveDateForm(request.POST)
    if not form.is_valid():
        return _effective_date_page(request, plan, form=form)
    new_date = form.cleaned_data["effective_date"]
    if new_date == plan.effective_date:
        messages.info(request, "The effective date is unchanged.")
        return _back_to_plan(request, plan)
    if request.POST.get("confirmed") != "1":
        preview = services.effective_date_preview(plan=plan, new_date=new_date)
        return _effective_date_page(request, plan, form=form, preview=preview, new_date=new_date)
    try:
        moved = services.plan_change_effective_date(plan=plan, new_date=new_date)
    except IntegrityError:
        # A child whose dates were typed by hand before offsets existed could end up
        # ending before it starts; the transaction rolled back, nothing moved.
        form.add_error(
            "effective_date",
            "Some child records would end before they start with this date; "
            "fix their dates first. Nothing was changed.",
        )
        return _effective_date_page(request, plan, form=form)
    days = abs(moved.days)
    messages.success(
        request,
        f"Effective date changed to {new_date:%b} {new_date.day}, {new_date.year}: "
        f"{moved.moving} child record{'s' if moved.moving != 1 else ''} moved "
        f"{'back ' if moved.days < 0 else ''}by {days} day{'s' if days != 1 else ''}.",
    )
    return _back_to_plan(request, plan)


# -- delete (from the Success Plans tab only) -------------------------------------------------
@login_required
@view_plans
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm with how many child records go with the plan, then delete them all."""
    require_perm(request, "delete", "successplan")
    plan = get_object_or_404(SuccessPlan.objects.select_related("account"), pk=pk)
    if request.method == "POST":
        name = plan.name
        counts = services.plan_delete(plan=plan)
        messages.success(
            request,
            f"Success plan “{name}” deleted with {counts.total} "
            f"child record{'s' if counts.total != 1 else ''}.",
        )
        return redirect("successplans:plan-list")
    context = {"plan": plan, "counts": services.plan_child_counts(plan)}
    return render(request, "successplans/plan_delete.html", context)


# -- the plan's record page -------------------------------------------------------------------
def _grid_formset(plan: SuccessPlan, data=None) -> PlanKPIGridFormSet:
    formset = PlanKPIGridFormSet(data, queryset=selectors.plan_kpis(plan))
    for form in formset.forms:
        for name, field in form.fields.items():
            if name != "id":
                field.widget.attrs["aria-label"] = f"{field.label} of {form.instance.name}"
    return formset


def _grid_error_summary(formset) -> str | None:
    rows = sum(1 for form in formset.forms if form.errors)
    if not rows and not formset.non_form_errors():
        return None
    if not rows:
        return "The grid has errors; nothing was saved."
    return f"{rows} row{'s have' if rows != 1 else ' has'} errors; nothing was saved."


def _plan_page(
    request: HttpRequest, plan: SuccessPlan, *, tab: str, grid=None, notice: str = ""
) -> HttpResponse:
    can_edit_kpis = request.user.has_perm("successplans.change_objectivekpi")
    context = {
        "plan": plan,
        "tab": tab,
        "tabs": TABS,
        "can_edit": request.user.has_perm("successplans.change_successplan"),
        "can_edit_kpis": can_edit_kpis,
        "notice": notice,
    }
    if tab == "kpis" and can_edit_kpis:
        context["grid"] = grid if grid is not None else _grid_formset(plan)
        context["grid_error_summary"] = grid is not None and _grid_error_summary(grid)
    template = "successplans/plan_detail.html"
    if tab == "kpis" and is_fragment(request):
        template = "successplans/partials/kpi_grid.html"
    return render(request, template, context)


@login_required
@view_plans
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.plan_detail(), pk=pk)
    tab = request.GET.get("tab", "details")
    if tab not in TABS:
        tab = "details"
    return _plan_page(request, plan, tab=tab)


@login_required
@view_plans
@require_POST
def kpi_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the Objective KPI Overview grid: every edited cell, or nothing if any is invalid."""
    require_perm(request, "change", "objectivekpi")
    plan = get_object_or_404(SuccessPlan, pk=pk)
    grid = _grid_formset(plan, request.POST)
    if not grid.is_valid():
        page_plan = get_object_or_404(selectors.plan_detail(), pk=pk)
        return _plan_page(request, page_plan, tab="kpis", grid=grid)
    saved = services.kpi_grid_save(formset=grid, user=request.user)
    notice = f"Objective KPIs saved ({len(saved)} changed)." if saved else "No KPI was changed."
    if request.htmx:
        page_plan = get_object_or_404(selectors.plan_detail(), pk=pk)
        return _plan_page(request, page_plan, tab="kpis", notice=notice)
    messages.success(request, notice)
    return redirect(f"{reverse('successplans:plan-detail', args=[plan.pk])}?tab=kpis")


urlpatterns = [
    path("plans/", plan_list, name="plan-list"),
    path("plans/create/", plan_create, name="plan-create"),
    path("plans/new/", plan_new, name="plan-new"),
    path("plans/challenge-row/", challenge_row, name="plan-challenge-row"),
    path("plans/<int:pk>/", plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plan_edit, name="plan-edit"),
    path("plans/<int:pk>/delete/", plan_delete, name="plan-delete"),
    path("plans/<int:pk>/effective-date/", plan_effective_date, name="plan-effective-date"),
    path("plans/<int:pk>/kpis/", kpi_grid, name="kpi-grid"),
]
