"""A success plan's records through the API: objectives, playbooks, playbook tasks and business
challenges, created, changed and deleted as in the plan's Related tab.

The rules are the page's, taken from the same place (``successplans.views.children.EDITS``:
each kind's form and its two services): the model permission first (403, Customer Success
only), then the plan or the record (404); the page's form reads the body (the default field
set: the API does not pick a record type) and the kind's service writes it. A ``PATCH``
sends only what changes: the rest is what the page's Edit form would show.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from successplans import services as plan_services
from successplans.forms import BusinessChallengeForm
from successplans.forms import ObjectiveForm
from successplans.forms import PlaybookForm
from successplans.forms import PlaybookTaskForm
from successplans.models import SuccessPlan
from successplans.views.access import record_to
from successplans.views.access import require_perm
from successplans.views.children import CHALLENGES
from successplans.views.children import EDITS
from successplans.views.children import OBJECTIVES
from successplans.views.children import PLAYBOOKS
from successplans.views.children import TASKS
from successplans.views.related import Related

from . import serializers as s
from .inputs import body_of
from .inputs import cleaned
from .inputs import form_serializer
from .inputs import with_initial
from .permissions import ReadPermission
from .schema import answered
from .schema import created
from .schema import deleted


def _number(pk: str) -> int:
    if not (pk.isascii() and pk.isdigit()):  # as DRF's own lookups: not a number, not found
        raise NotFound
    return int(pk)


# A form needs a plan to list its playbooks; the schema reads only the fields' types.
_SOME_PLAN = SuccessPlan(pk=0)
_FORMS = {
    OBJECTIVES: ("Objective", ObjectiveForm()),
    PLAYBOOKS: ("Playbook", PlaybookForm()),
    TASKS: ("PlaybookTask", PlaybookTaskForm(plan=_SOME_PLAN)),
    CHALLENGES: ("Challenge", BusinessChallengeForm(plan=_SOME_PLAN)),
}
#: Each kind's bodies (types, unknown fields, the schema): a new record's, and a change's
#: (every field optional: what is left out keeps its value).
INPUTS = {kind: form_serializer(f"{name}Input", form) for kind, (name, form) in _FORMS.items()}
PATCH_INPUTS = {
    kind: form_serializer(f"Patched{name}Input", form, optional=True)
    for kind, (name, form) in _FORMS.items()
}
#: Each kind's answer.
ANSWERS = {
    OBJECTIVES: s.ObjectiveSerializer,
    PLAYBOOKS: s.PlaybookSerializer,
    TASKS: s.PlaybookTaskSerializer,
    CHALLENGES: s.BusinessChallengeSerializer,
}


def _answer(kind: Related, record, code: int = status.HTTP_200_OK) -> Response:
    fresh = _read(kind).get(pk=record.pk)
    return Response(ANSWERS[kind](fresh).data, status=code)


def _read(kind: Related) -> QuerySet:
    if kind in (OBJECTIVES, PLAYBOOKS):  # their answer names their resource
        return kind.queryset().select_related("resource__user")
    return kind.queryset()


def record_create(request: Request, kind: Related, plan_pk: str) -> Response:
    """New <kind> in the plan's Related tab: 403 unless the role may add one, 404 unknown plan."""
    require_perm(request, "add", kind.model._meta.model_name)
    plan = get_object_or_404(SuccessPlan.objects.select_related("account"), pk=_number(plan_pk))
    edits = EDITS[kind]
    body = body_of(INPUTS[kind], request.data)
    form = edits.build(request, with_initial(edits.build(request, None, plan), body), plan)
    record = edits.save_new(request, plan, cleaned(form), None)
    return _answer(kind, record, status.HTTP_201_CREATED)


def record_update(request: Request, kind: Related, pk: str) -> Response:
    """Edit: 403 unless the role may change the kind, then 404; a field left out keeps its value."""
    edits = EDITS[kind]
    record = record_to(request, "change", kind.queryset(), pk=_number(pk))
    plan = kind.parent(record)
    body = body_of(PATCH_INPUTS[kind], request.data)
    shown = edits.build(request, None, plan, record=record)
    form = edits.build(request, with_initial(shown, body), plan, record=record)
    edits.save(request, record, form, cleaned(form))
    return _answer(kind, record)


def record_destroy(request: Request, kind: Related, pk: str) -> Response:
    """Delete, with what goes with it (a playbook's tasks, an objective's KPIs), as the page."""
    record = record_to(request, "delete", kind.queryset(), pk=_number(pk))
    plan_services.record_delete(record=record)
    return Response(status=status.HTTP_204_NO_CONTENT)


class RecordWrites:
    """``PATCH`` and ``DELETE`` of a record of ``kind`` (mixed into its viewset)."""

    kind: Related
    http_method_names = ["get", "head", "patch", "delete"]

    def partial_update(self, request: Request, pk: str) -> Response:
        return record_update(request, self.kind, pk)

    def destroy(self, request: Request, pk: str) -> Response:
        return record_destroy(request, self.kind, pk)


def _create_action(kind: Related, url_path: str):
    def create_record(self, request: Request, pk: str) -> Response:
        return record_create(request, kind, pk)

    create_record.__name__ = url_path.replace("-", "_")
    create_record.__doc__ = f"New {kind.label.lower()} of the plan, as in its Related tab."
    schema = extend_schema(request=INPUTS[kind], responses=created(ANSWERS[kind]))
    route = action(
        detail=True, methods=["post"], url_path=url_path, permission_classes=[ReadPermission]
    )
    return schema(route(create_record))


class PlanRecordWrites:
    """``POST /plans/<id>/objectives/`` … (mixed into the plans' viewset)."""

    objectives = _create_action(OBJECTIVES, "objectives")
    playbooks = _create_action(PLAYBOOKS, "playbooks")
    playbook_tasks = _create_action(TASKS, "playbook-tasks")
    challenges = _create_action(CHALLENGES, "challenges")


def record_schema(kind: Related):
    """The schema of a record viewset's writes (its body is the page's form)."""
    return {
        "partial_update": extend_schema(
            request=PATCH_INPUTS[kind], responses=answered(ANSWERS[kind])
        ),
        "destroy": extend_schema(responses=deleted()),
    }
