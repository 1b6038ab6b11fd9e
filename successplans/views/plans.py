"""Success plan pages: the Success Plans tab, Create Success Plan (the blank-or-template
choice), the New/Edit Success Plan window with its business challenges, and delete.

Reading needs ``view_successplan``; every change checks the model permission on GET and
POST (``_plan_to``), so a view-only role gets 403 and nothing changes. Plain form posts are
redirected (post/redirect/get); htmx requests get the fragment they swap.
"""

from __future__ import annotations

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode

from core.errors import DomainError
from core.feedback import attempt
from core.formsets import limit_rows
from core.lists import list_page
from core.routes import record_routes
from engagements.models import Account

from .. import selectors
from .. import services
from ..filters import SuccessPlanFilter
from ..forms import BLANK
from ..forms import ChallengeFormSet
from ..forms import PlanStartForm
from ..forms import SuccessPlanForm
from ..models import ChallengeCategory
from ..models import RecordType
from ..models import SuccessPlan
from ..selectors.plan_rows import plan_list_rows
from .access import login_required
from .access import record_to
from .access import record_type_step
from .access import require_perm
from .access import safe_next
from .access import view_plans
from .related import form_error
from .templates import template_create

CHALLENGES_PREFIX = "challenges"


def _plan_to(request: HttpRequest, action: str, pk: int) -> SuccessPlan:
    """The plan to change or delete: 403 unless the user may, else 404."""
    return record_to(request, action, selectors.plan_for_change(), pk=pk)


# -- Success Plans tab ------------------------------------------------------------------------
@login_required
@view_plans
def plan_list(request: HttpRequest) -> HttpResponse:
    # Page first, then count the children of the page's 25 plans only.
    return list_page(
        request,
        SuccessPlanFilter(request.GET, queryset=selectors.plan_rows()),
        template="successplans/plan_list.html",
        fragment="successplans/partials/plan_list_results.html",
        complete=plan_list_rows,
    )


# -- Create Success Plan: blank or from a template ------------------------------------------------
def _account_id(request: HttpRequest) -> str:
    account_id = request.GET.get("account", "")
    return account_id if account_id.isdigit() else ""


@login_required
@view_plans
def plan_create(request: HttpRequest) -> HttpResponse:
    """Create Success Plan in one window (an Account page, the Success Tracker, the Success
    Plans tab): blank or a template, the record type and the plan's fields together.

    ``?account=`` fills the Account in, ``?next=`` is where creating returns. A blank plan
    is created here (its description, end date and challenges are added on Edit); a
    template goes on to its Select Records grid with these fields as the plan's details
    (the template window's own view answers the same post, so Back and Create work there).
    """
    require_perm(request, "add", "successplan")
    account_id = _account_id(request)
    account = Account.objects.filter(pk=account_id).first() if account_id else None
    templates = list(selectors.templates_for_picker())
    initial = {"start": BLANK, "effective_date": timezone.localdate()}
    if account is not None:
        initial["account"] = account.pk
    form = PlanStartForm(request.POST or None, initial=initial, templates=templates)
    if "record_type" in form.fields:
        initial["record_type"] = form.fields["record_type"].queryset.first()
    if request.method == "POST" and form.is_valid():
        template = form.template()
        if template is not None:
            post = request.POST.copy()
            post["name"] = form.cleaned_data["name"]  # the name given, or the one made up
            request.POST = post
            return template_create(request, template_id=template.pk)
        plan = _create_blank(request, form)
        if plan is not None:
            messages.success(request, f"Success plan “{plan.name}” created.")
            return redirect(safe_next(request) or plan.get_absolute_url())
    kept = {"account": account_id, "next": safe_next(request)}
    context = {
        "form": form,
        "templates": templates,
        "query": urlencode({key: value for key, value in kept.items() if value}),
        "account": account,
        "next": kept["next"],
    }
    return render(request, "successplans/plan_create.html", context)


def _create_blank(request: HttpRequest, form: PlanStartForm) -> SuccessPlan | None:
    data = form.cleaned_data
    fields = {name: data[name] for name in ("account", "name", "effective_date", "owner")}
    try:
        return services.plan_create(data=fields, record_type=data.get("record_type"))
    except DomainError as error:
        form_error(form, error)
        return None


# -- the New/Edit Success Plan window -------------------------------------------------------------
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
    # The plan's challenges and a few added, whatever a post claims (its queryset is read
    # once, here instead of when the rows are built).
    limit_rows(formset, len(formset.get_queryset()))
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


def _window(request: HttpRequest, form, challenges, *, plan, record_type, save) -> HttpResponse:
    """Validate every part of the window (so each shows its errors), save with one service
    call, or show the window again."""
    if request.method == "POST" and "add_challenge" in request.POST:
        _hold_errors(form, challenges)
    elif request.method == "POST" and all([form.is_valid(), challenges.is_valid()]):
        try:
            saved = save(form.cleaned_data, challenges.changes())
        except DomainError as error:
            form_error(form, error)
        else:
            verb = "saved" if plan else "created"
            messages.success(request, f"Success plan “{saved.name}” {verb}.")
            return redirect(safe_next(request) or saved.get_absolute_url())
    context = {
        "form": form,
        "challenges": challenges,
        "plan": plan,
        "record_type": record_type,
        "next": safe_next(request),
    }
    return render(request, "successplans/plan_form.html", context)


@login_required
@view_plans
def plan_new(request: HttpRequest) -> HttpResponse:
    """A blank plan (``?account=`` pre-fills the Account, ``?next=`` is where saving returns)."""
    require_perm(request, "add", "successplan")
    record_type, picker = record_type_step(request, RecordType.ObjectType.SUCCESS_PLAN)
    if picker is not None:
        context = {"picker": picker, "object_label": "Success Plan"}
        return render(request, "successplans/plan_form.html", context)
    initial = {"effective_date": timezone.localdate()}
    account_id = _account_id(request)
    if account_id and Account.objects.filter(pk=account_id).exists():
        initial["account"] = int(account_id)
    form = SuccessPlanForm(request.POST or None, initial=initial, record_type=record_type)
    return _window(
        request,
        form,
        _challenges(request, SuccessPlan(record_type=record_type)),
        plan=None,
        record_type=record_type,
        save=lambda data, changes: services.plan_create(
            data=data, record_type=record_type, challenges=changes
        ),
    )


@login_required
@view_plans
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_to(request, "change", pk)
    return _window(
        request,
        SuccessPlanForm(request.POST or None, instance=plan),
        _challenges(request, plan),
        plan=plan,
        record_type=plan.record_type,
        save=lambda data, changes: services.plan_update(plan=plan, data=data, challenges=changes),
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


# -- delete (from the Success Plans tab only) -------------------------------------------------
@login_required
@view_plans
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm with how many child records go with the plan, then delete them all."""
    plan = _plan_to(request, "delete", pk)
    if request.method != "POST":
        context = {"plan": plan, "deleted_with": selectors.deleted_with(plan)}
        return render(request, "successplans/plan_delete.html", context)
    name = plan.name
    attempt(
        request,
        services.plan_delete,
        plan=plan,
        success=lambda gone: (
            f"Success plan “{name}” deleted with {gone.total} "
            f"child record{'s' if gone.total != 1 else ''}."
        ),
    )
    return redirect("successplans:plan-list")


urlpatterns = [
    record_routes(
        "plans/",
        "plan",
        list=plan_list,
        new=plan_new,
        edit=plan_edit,
        delete=plan_delete,
        more=[
            path("create/", plan_create, name="plan-create"),
            path("challenge-row/", challenge_row, name="plan-challenge-row"),
        ],
    ),
]
