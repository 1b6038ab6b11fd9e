"""Create Success Plan from a template: the template picker and the Select Records grid.

* ``template-picker`` (/plans/templates/): only plans with the Template field
  selected, as Cards or Lists. Switching view is a small POST (it stores the
  user's TemplatePickerPreference, then redirects back: post/redirect/get; with
  htmx the answer is the picker fragment), so a GET never changes anything; the
  next visit opens in the last-selected view. Reload re-reads the templates
  (htmx GET of the fragment; a plain link without JavaScript).
* ``template-create`` (/plans/templates/<id>/create/): step 1 the new plan's
  details; "Next" shows step 2, the Select Records grid, with the details
  carried in hidden fields; "Create" validates every row and creates the plan
  with ``services.plan_create_from_template`` (all or nothing). A template
  without child records skips the grid: the user creates from step 1.

Both keep ``?account=`` (the Account pre-filled when started from an account
page) and ``?next=`` (where creating returns). Every view needs
``add_successplan`` on GET and POST: view-only roles get 403 and nothing is created.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.htmx import is_fragment
from core.htmx import render_page
from engagements.models import Account

from .. import selectors
from .. import services
from ..forms import ResourcePool
from ..forms import SelectRecordsGrid
from ..forms import TemplatePlanDetailsForm
from ..forms import kept_grid_data
from ..models import SuccessPlan
from ..models import TemplatePickerPreference
from .access import login_required
from .access import require_perm
from .access import safe_next
from .access import view_plans

GONE = "The template was deleted meanwhile: choose another template."
NO_CHILDREN = "This template has no child records."
VIEWS = TemplatePickerPreference.View


# -- helpers ------------------------------------------------------------------------------------
def _carried(request: HttpRequest) -> dict[str, str]:
    """The ``account`` and ``next`` the picker and the create window pass along."""
    carried = {}
    account = request.GET.get("account", "")
    if account.isdigit():
        carried["account"] = account
    target = safe_next(request)
    if target:
        carried["next"] = target
    return carried


def _query(carried: dict[str, str]) -> str:
    return f"?{urlencode(carried)}" if carried else ""


# -- the template picker ------------------------------------------------------------------------
@login_required
@view_plans
def template_picker(request: HttpRequest) -> HttpResponse:
    """Select a template; POST ``view`` (cards or lists) switches and remembers the view."""
    require_perm(request, "add", "successplan")
    carried = _carried(request)
    if request.method == "POST":
        try:
            services.template_picker_view_set(user=request.user, view=request.POST.get("view", ""))
        except DomainError as error:
            messages.error(request, str(error))
        if not is_fragment(request):
            return redirect(reverse("successplans:template-picker") + _query(carried))
    templates = list(selectors.templates_for_picker())
    blank = reverse("successplans:plan-new") + _query(carried)
    for template in templates:
        template.select_url = reverse("successplans:template-create", args=[template.pk]) + _query(
            carried
        )
    context = {
        "templates": templates,
        "view": selectors.template_picker_view(request.user),
        "views": VIEWS.choices,
        "carried": carried,
        "here": reverse("successplans:template-picker") + _query(carried),
        "blank_url": blank,
    }
    return render_page(
        request,
        "successplans/template_picker.html",
        "successplans/partials/template_picker_results.html",
        context,
    )


# -- Create Success Plan from a template --------------------------------------------------------
def _gone(request: HttpRequest, carried: dict[str, str], message: str = GONE) -> HttpResponse:
    """The template is gone (deleted, or no longer a template): nothing is created."""
    context = {
        "picker_url": reverse("successplans:template-picker") + _query(carried),
        "gone": message,
    }
    return render(request, "successplans/template_create.html", context, status=404)


def _initial_details(request: HttpRequest, template: SuccessPlan) -> dict:
    # Never the template's own name (the two would look alike in every list): the account's
    # name before it when the account is known, else the user names the plan.
    initial = {"name": "", "effective_date": timezone.localdate(), "owner": None}
    account = request.GET.get("account", "")
    found = Account.objects.filter(pk=account).first() if account.isdigit() else None
    if found is not None:
        initial["account"] = found.pk
        initial["name"] = f"{found.name}: {template.name}"
    if template.owner_id is not None:
        initial["owner"] = template.owner_id
    return initial


def _end_date(template: SuccessPlan, effective_date: date | None) -> date | None:
    if effective_date is None or template.end_date is None:
        return None
    return effective_date + (template.end_date - template.effective_date)


def _has_children(template: SuccessPlan) -> bool:
    """Whether the template has child records (read from the prefetched children)."""
    return bool(
        template.objectives.all() or template.playbooks.all() or template.playbook_tasks.all()
    )


def _kept(request: HttpRequest) -> list[tuple[str, str]]:
    """The Select Records grid as the user left it with Back, carried in hidden fields of the
    details step (with the effective date it was made for) until Next shows it again."""
    if request.method != "POST" or not ("back" in request.POST or "kept" in request.POST):
        return []
    if "back" in request.POST:
        data, made_for = request.POST, request.POST.get("effective_date", "")
    else:
        data, made_for = request.POST, request.POST.get("kept_effective", "")
    fields = [(name, value) for name, values in kept_grid_data(data).lists() for value in values]
    return [("kept", "1"), ("kept_effective", made_for), *fields]


def _kept_grid_data(request: HttpRequest, effective_date: date):
    """The kept grid's fields, their dates moved as far as the effective date was meanwhile."""
    try:
        made_for = date.fromisoformat(request.POST.get("kept_effective", ""))
    except ValueError:
        made_for = effective_date
    return kept_grid_data(request.POST, days=(effective_date - made_for).days)


def _window(
    request: HttpRequest, *, template, carried, details, step: str, grid=None
) -> HttpResponse:
    effective = getattr(details, "cleaned_data", {}).get("effective_date")
    context = {
        "kept": _kept(request) if step == "details" else [],
        "template": template,
        "details": details,
        "grid": grid,
        "step": step,
        "has_children": _has_children(template),
        "no_children": NO_CHILDREN,
        "next": carried.get("next"),
        "picker_url": reverse("successplans:template-picker") + _query(carried),
        # Explicit: Create Success Plan's one window (/plans/create/) answers the first post.
        "form_action": reverse("successplans:template-create", args=[template.pk])
        + _query(carried),
        "end_date": _end_date(template, effective) if step == "records" else None,
        "grid_errors": grid.error_count() if grid is not None and grid.is_bound else 0,
    }
    return render(request, "successplans/template_create.html", context)


@login_required
@view_plans
def template_create(request: HttpRequest, template_id: int) -> HttpResponse:
    """Step 1 the plan's details, step 2 the Select Records grid, then Create (all or nothing).

    The post says where the user is: ``back`` returns to the details (the grid's fields
    ride along hidden, ``kept``), no ``grid`` marker means "Next" (show the grid, every
    row selected, or as it was kept),
    ``add_kpi`` adds a blank KPI row to an objective, ``create`` creates.
    """
    require_perm(request, "add", "successplan")
    carried = _carried(request)
    template = selectors.template_with_children(template_id)
    if template is None:
        return _gone(request, carried)
    show = partial(_window, request, template=template, carried=carried)
    pool = ResourcePool()
    if request.method != "POST":
        initial = _initial_details(request, template)
        details = TemplatePlanDetailsForm(initial=initial, pool=pool, template_name=template.name)
        return show(details=details, step="details")

    details = TemplatePlanDetailsForm(request.POST, pool=pool, template_name=template.name)
    if "back" in request.POST or not details.is_valid():
        # Back to the details (a tampered step 2 lands here too, with the errors shown).
        return show(details=details, step="details")
    effective_date = details.cleaned_data["effective_date"]
    try:  # the new plan's end date and the template's records, moved, stay in the date range
        services.template_dates_check(template=template, effective_date=effective_date)
    except DomainError as error:
        details.add_error(error.field, str(error))
        return show(details=details, step="details")
    grid = None
    if _has_children(template):
        if "grid" not in request.POST:
            # Next: every row selected, or the grid as it was left with Back.
            kept = _kept_grid_data(request, effective_date) if "kept" in request.POST else None
            grid = SelectRecordsGrid(
                template=template, effective_date=effective_date, pool=pool, data=kept, held=True
            )
            return show(details=details, step="records", grid=grid)
        add_kpi = request.POST.get("add_kpi", "")
        grid = SelectRecordsGrid(
            template=template,
            effective_date=effective_date,
            pool=pool,
            data=request.POST,
            add_kpi=add_kpi,
        )
        if add_kpi or "create" not in request.POST or not grid.is_valid():
            return show(details=details, step="records", grid=grid)
    elif "create" not in request.POST:
        return show(details=details, step="details")

    objectives, playbooks, tasks = grid.drafts() if grid is not None else ([], [], [])
    try:
        plan = services.plan_create_from_template(
            template_pk=template.pk,
            user=request.user,
            account=details.cleaned_data["account"],
            name=details.cleaned_data["name"],
            effective_date=effective_date,
            owner=details.cleaned_data.get("owner"),
            objectives=objectives,
            playbooks=playbooks,
            tasks=tasks,
        )
    except DomainError as error:
        if error.field in details.fields:  # a date out of range: said next to the field
            details.add_error(error.field, str(error))
            return show(details=details, step="details")
        return _gone(request, carried, str(error))
    messages.success(request, f"Success plan “{plan.name}” created from “{template.name}”.")
    return redirect(safe_next(request) or plan.get_absolute_url())


urlpatterns = [
    path("plans/templates/", template_picker, name="template-picker"),
    path("plans/templates/<int:template_id>/create/", template_create, name="template-create"),
]
