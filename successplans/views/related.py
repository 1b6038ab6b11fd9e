"""One pattern for a related record's create, edit and delete, in its list or as a page.

A plan's related records (objectives, playbooks, playbook tasks, business challenges, CS
activities, in the Related tab) and an objective's KPIs (on its record page) are changed in
place: with htmx a link loads the form, the record type picker or the delete confirmation
into its list, and the answer to the post is the list again (plus the page's messages,
swapped out of band). Without JavaScript the same URLs are full pages and a save redirects
(post/redirect/get) to ``?next=`` or the list's page. Every such view reads the same way::

    @login_required
    @view_plans
    def objective_edit(request, pk):
        objective = _to_change(request, OBJECTIVES, pk=pk)          # access: 403, then 404
        form = ObjectiveForm(request.POST or None, instance=objective)
        return related.edit(request, OBJECTIVES, objective, form,   # form → service → render
            lambda data: services.objective_update(objective=objective, data=data))

``create()`` shows the record type picker first when the object has record types, then the
form built by ``build_form(data, record_type)``; ``edit()`` and ``create()`` call the service
with ``form.cleaned_data`` once the post is valid (a ``DomainError`` goes next to its field);
``delete()`` asks first, saying what goes with the record (``selectors.deleted_with``, Django's
deletion Collector), then calls ``services.record_delete``. ``Related`` says where a kind of
record is listed; ``ObjectiveKPIs`` lists on the objective's page instead of the plan's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from core.errors import DomainError
from core.htmx import is_fragment
from core.htmx import with_messages

from .. import selectors
from .. import services
from ..models import Objective
from ..models import RecordType
from ..models import SuccessPlan
from .access import record_type_step
from .access import safe_next

Save = Callable[[dict], Model]


def form_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal next to its field (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


def save_valid(request: HttpRequest, form: forms.BaseForm, save: Save) -> Model | None:
    """What ``save(form.cleaned_data)`` (one service call) wrote when the post is valid; else
    None, and the form shows why (its own errors, or the service's refusal)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except DomainError as error:
        form_error(form, error)
        return None


@dataclass(frozen=True)
class Related:
    """A kind of related record and its list in the plan's Related tab."""

    model: type[Model]
    label: str  # "Objective"
    key: str  # the list: partials/child_<key>.html, id "related-<key>"
    url: str  # URL names <url>-new, <url>-edit, <url>-delete
    object_type: str | None = None  # record types, when the object has them
    also: tuple[str, ...] = ()  # lists that change with it (swapped out of band)

    @property
    def target(self) -> str:
        return f"related-{self.key}"

    def template(self, key: str | None = None) -> str:
        return f"successplans/partials/child_{key or self.key}.html"

    def queryset(self):
        """The records with what their form, confirmation and list need."""
        return selectors.child_of_plan(self.model)

    def parent(self, record) -> SuccessPlan:
        return record.plan

    def page_url(self, plan: SuccessPlan) -> str:
        return reverse("successplans:plan-detail", args=[plan.pk]) + "?tab=related"

    def list_url(self, plan: SuccessPlan) -> str:
        return reverse("successplans:related-list", args=[plan.pk, self.key])

    def page_context(self, plan: SuccessPlan) -> dict:
        return {"plan": plan}

    def list_context(self, plan_pk: int) -> dict:
        """The plan with every related list, as the plan page reads it."""
        return {"plan": get_object_or_404(selectors.plan_detail(), pk=plan_pk)}


class ObjectiveKPIs(Related):
    """Objective KPIs are listed on their objective's record page, with their history."""

    @property
    def target(self) -> str:
        return "objective-kpis"

    def queryset(self):
        return selectors.kpi_for_change()

    def parent(self, record) -> Objective:
        return record.objective

    def page_url(self, objective: Objective) -> str:
        return objective.get_absolute_url()

    def list_url(self, objective: Objective) -> str:
        return reverse("successplans:objective-kpis", args=[objective.pk])

    def page_context(self, objective: Objective) -> dict:
        return {"plan": objective.plan, "objective": objective}

    def list_context(self, objective_pk: int) -> dict:
        objective = get_object_or_404(selectors.objective_page(), pk=objective_pk)
        return {"objective": objective, "kpi_rows": selectors.kpi_rows(objective)}


# -- responses ----------------------------------------------------------------------------------
def list_response(
    request: HttpRequest, kind: Related, parent_pk: int, *, panel=None, changed=False
) -> HttpResponse:
    """The kind's list, re-read, with ``panel`` shown in it and the page's messages: what htmx
    swaps in. After a change (``changed``) the lists that change with it come along, swapped
    out of band."""
    context = kind.list_context(parent_pk)
    html = render_to_string(kind.template(), {**context, "panel": panel}, request=request)
    for key in kind.also if changed else ():
        html += render_to_string(kind.template(key), {**context, "oob": True}, request=request)
    return with_messages(request, HttpResponse(html))


def _done(request: HttpRequest, kind: Related, parent, next_url: str | None = None) -> HttpResponse:
    """After a change: the fresh lists for htmx, a redirect for a plain post (PRG)."""
    if is_fragment(request):
        return list_response(request, kind, parent.pk, changed=True)
    return redirect(next_url or safe_next(request) or kind.page_url(parent))


def _panel(request: HttpRequest, kind: Related, parent, panel: dict) -> HttpResponse:
    """A form, record type picker or delete confirmation: in its list, or as a page."""
    panel.update(
        action=request.path,
        target=kind.target,
        next=request.POST.get("next") or request.GET.get("next", ""),
        cancel=safe_next(request) or kind.page_url(parent),
        cancel_hx=kind.list_url(parent),
    )
    if is_fragment(request):
        return list_response(request, kind, parent.pk, panel=panel)
    context = {"objective": None, **kind.page_context(parent), "panel": panel}
    return render(request, "successplans/related_page.html", context)


def _form(request, kind, parent, form, save: Save, *, title, verb, record_type=None):
    if (record := save_valid(request, form, save)) is not None:
        messages.success(request, f"{kind.label} “{record}” {verb}.")
        return _done(request, kind, parent)
    record_type = record_type or getattr(form, "record_type", None)
    panel = {"form": form, "title": title, "record_type": record_type}
    return _panel(request, kind, parent, panel)


# -- the three operations -----------------------------------------------------------------------
def create(
    request: HttpRequest,
    kind: Related,
    parent,
    build_form: Callable[[dict | None, RecordType | None], forms.BaseForm],
    save: Callable[[dict, RecordType | None], Model],
) -> HttpResponse:
    """A new record under ``parent``: the record type picker first (when the object has some),
    then the form; ``save(cleaned_data, record_type)`` calls the service."""
    record_type = None
    if kind.object_type is not None:
        record_type, picker = record_type_step(request, kind.object_type)
        if picker is not None:
            title = f"New {kind.label}: select a record type"
            return _panel(request, kind, parent, {"picker": picker, "title": title})
    form = build_form(request.POST or None, record_type)
    return _form(
        request,
        kind,
        parent,
        form,
        lambda data: save(data, record_type),
        title=f"New {kind.label}",
        verb="created",
        record_type=record_type,
    )


def edit(request: HttpRequest, kind: Related, record, form, save: Save) -> HttpResponse:
    """Edit ``record``; ``save(cleaned_data)`` calls the service."""
    title = f"Edit {kind.label}: {record}"  # before validation copies the input onto it
    return _form(request, kind, kind.parent(record), form, save, title=title, verb="saved")


def delete(request: HttpRequest, kind: Related, record) -> HttpResponse:
    """Ask first, saying what goes with the record; a POST deletes it all."""
    parent = kind.parent(record)
    if request.method != "POST":
        panel = {
            "confirm": True,
            "record": record,
            "title": f"Delete {kind.label}",
            "deleted_with": selectors.deleted_with(record),
        }
        return _panel(request, kind, parent, panel)
    # ``next`` first: reading it parses the body, and a body Django refuses (too many
    # fields, too large: a 400) must leave the record in place, not answer after deleting.
    next_url = safe_next(request)
    name = str(record)
    try:
        services.record_delete(record=record)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{kind.label} “{name}” deleted.")
    return _done(request, kind, parent, next_url)
