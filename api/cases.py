"""Working success cases through the API: create, complete an activity, close, cancel,
meetings and tasks with their transitions.

Each action is the page's: the same access rule (``can_work_case``: the assignee and the
squad; 404 first for an unknown case), the page's form for the body (``api.inputs``), one
service call. A refused gate is the service's ``DomainError``: 409 with its message (422
when it names a field).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from playbooks import services as case_services
from playbooks.forms import ACTIVITY_FORMS
from playbooks.forms import CancelForm
from playbooks.forms import CloseForm
from playbooks.forms import MeetingForm
from playbooks.forms import NewCaseForm
from playbooks.forms import StreamForm
from playbooks.forms import TaskForm
from playbooks.forms import activity_form
from playbooks.models import CaseTask
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import SuccessCase
from playbooks.models import can_work_case

from . import selectors
from . import serializers as s
from .inputs import StrictSerializer
from .inputs import body_of
from .inputs import cleaned
from .inputs import form_serializer
from .inputs import prefixed
from .inputs import with_initial
from .permissions import ReadPermission
from .schema import answered
from .schema import created

NewCaseInput = form_serializer("NewCaseInput", NewCaseForm(), number=None)
CancelInput = form_serializer("CancelInput", CancelForm())
CloseInput = form_serializer("CloseInput", CloseForm(case=SuccessCase()))
MeetingInput = form_serializer(
    "MeetingInput",
    MeetingForm(),
    schedule=serializers.BooleanField(
        required=False, default=False, help_text="Schedule it at once (Draft otherwise)."
    ),
)
TaskInput = form_serializer("TaskInput", TaskForm())
JournalInput = form_serializer("JournalInput", StreamForm())


def _activity_input() -> type:
    # One body for every kind of activity: the open activity's kind decides what is required.
    fields = {}
    for form_class in ACTIVITY_FORMS.values():
        form = form_class(instance=SuccessCase()) if hasattr(form_class, "_meta") else form_class()
        fields |= dict(form.fields)
    form = NewCaseForm()  # any form: only its ``fields`` are read
    form.fields = fields
    return form_serializer("ActivityInput", form, optional=True)


ActivityInput = _activity_input()


class NoBody(StrictSerializer):
    """A transition takes no body: ``{}`` or nothing; any field is a 400."""


def case_to_work(request: Request, number: str) -> SuccessCase:
    """The case ``number`` for a change: 404 when unknown, 403 unless the user works it."""
    case = get_object_or_404(selectors.case_detail(), number=number)
    if not can_work_case(case, request.user):
        raise PermissionDenied("Only the assigned agent or the squad can work this case.")
    return case


def _case_answer(case: SuccessCase, code: int = status.HTTP_200_OK) -> Response:
    fresh = selectors.case_detail().get(pk=case.pk)
    return Response(s.SuccessCaseDetailSerializer(fresh).data, status=code)


def _task(pk: int) -> CaseTask:
    return CaseTask.objects.select_related("assigned_to").get(pk=pk)


def transition_action(
    name: str,
    url_path: str,
    *,
    answer: type[serializers.Serializer],
    find: Callable[..., Meeting | CaseTask],
    read: Callable[[int], Meeting | CaseTask],
    operation_id: str,
    doc: str,
):
    """The view of a case's meeting or task transition: ``POST <url_path>``, no body.

    The case (to work), its record (``find(case, **url kwargs)``: 404 unknown), the
    service's transition (a refused gate is a 409), the record as it is now (``read``).
    """

    def view(self, request: Request, number: str, transition: str, **record_kwargs) -> Response:
        case = case_to_work(request, number)
        record = find(case, **record_kwargs)
        body_of(NoBody, request.data)
        case_services.record_transition(
            case_pk=case.pk, user=request.user, record=record, name=transition
        )
        return Response(answer(read(record.pk)).data)

    view.__name__, view.__doc__ = name, doc
    route = action(
        detail=True, methods=["post"], url_path=url_path, permission_classes=[ReadPermission]
    )
    schema = extend_schema(request=None, responses=answered(answer), operation_id=operation_id)
    return schema(route(view))


class CaseWrites:
    """The write actions of ``SuccessCaseViewSet`` (mixed in)."""

    @extend_schema(request=NewCaseInput, responses=created(s.SuccessCaseDetailSerializer))
    def create(self, request: Request) -> Response:
        """New → Continue: open a success case for an open engagement; you are assigned."""
        body = body_of(NewCaseInput, request.data)
        data = cleaned(NewCaseForm(body))
        created = case_services.success_case_create(
            engagement=data["engagement"], user=request.user, playbook=data.get("playbook")
        )
        return _case_answer(created.case, status.HTTP_201_CREATED)

    @extend_schema(request=ActivityInput, responses=answered(s.SuccessCaseDetailSerializer))
    @action(
        detail=True,
        methods=["post"],
        url_path=r"activities/(?P<activity_pk>[0-9]{1,18})/complete",
        permission_classes=[ReadPermission],
    )
    def complete_activity(self, request: Request, number: str, activity_pk: str) -> Response:
        """Mark Complete on the open activity, with its form's data (e.g. ``text`` for a
        comment, ``closure_code`` and ``close_notes`` for Close record)."""
        case = case_to_work(request, number)
        activity = get_object_or_404(case.activities.all(), pk=int(activity_pk))
        body = with_initial(activity_form(activity, case), body_of(ActivityInput, request.data))
        form = activity_form(activity, case, data=prefixed(f"a{activity.pk}", body))
        data = cleaned(form)
        case_services.activity_complete(
            case_pk=case.pk, activity_pk=activity.pk, user=request.user, data=data
        )
        return _case_answer(case)

    @extend_schema(request=JournalInput, responses=created(s.JournalEntrySerializer))
    @action(detail=True, methods=["post"], permission_classes=[ReadPermission])
    def journal(self, request: Request, number: str) -> Response:
        """Post a comment (``"kind": "comment"``, customer visible) or a work note
        (``"work_note"``, internal) to the case's activity stream, as its compose box."""
        case = case_to_work(request, number)
        data = cleaned(StreamForm(with_initial(StreamForm(), body_of(JournalInput, request.data))))
        entry = case_services.journal_post(case_pk=case.pk, user=request.user, **data)
        entry = JournalEntry.objects.select_related("author").get(pk=entry.pk)
        return Response(s.JournalEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CloseInput, responses=answered(s.SuccessCaseDetailSerializer))
    @action(detail=True, methods=["post"], permission_classes=[ReadPermission])
    def close(self, request: Request, number: str) -> Response:
        """Close success case, at any phase: the closure code and close notes (either may be
        left out when Close record saved it); closed early, what is pending is canceled."""
        case = case_to_work(request, number)
        data = cleaned(CloseForm(body_of(CloseInput, request.data), case=case))
        case_services.success_case_close(case_pk=case.pk, user=request.user, **data)
        return _case_answer(case)

    @extend_schema(request=CancelInput, responses=answered(s.SuccessCaseDetailSerializer))
    @action(detail=True, methods=["post"], permission_classes=[ReadPermission])
    def cancel(self, request: Request, number: str) -> Response:
        """Cancel the case with a reason: its pending activities, open meetings and tasks too."""
        case = case_to_work(request, number)
        data = cleaned(CancelForm(body_of(CancelInput, request.data)))
        case_services.success_case_cancel(case_pk=case.pk, user=request.user, **data)
        return _case_answer(case)

    @extend_schema(request=MeetingInput, responses=created(s.MeetingSerializer))
    @action(detail=True, methods=["post"], permission_classes=[ReadPermission])
    def meetings(self, request: Request, number: str) -> Response:
        """New meeting of the case (Draft, or Scheduled with ``"schedule": true``)."""
        case = case_to_work(request, number)
        body = body_of(MeetingInput, request.data)
        schedule = bool(body.pop("schedule", False))
        data = cleaned(MeetingForm(with_initial(MeetingForm(), body)))
        meeting = case_services.meeting_create(
            case_pk=case.pk, user=request.user, data=dict(data), schedule=schedule
        )
        return Response(s.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    meeting_transition = transition_action(
        "meeting_transition",
        r"meetings/(?P<pk>[0-9]{1,18})/(?P<transition>schedule|complete|cancel)",
        answer=s.MeetingSerializer,
        find=lambda case, pk: get_object_or_404(case.meetings.all(), pk=int(pk)),
        read=lambda pk: Meeting.objects.get(pk=pk),
        operation_id="cases_meetings_transition",
        doc="Schedule, complete or cancel a meeting of the case.",
    )

    @extend_schema(request=TaskInput, responses=created(s.CaseTaskSerializer))
    @action(detail=True, methods=["post"], permission_classes=[ReadPermission])
    def tasks(self, request: Request, number: str) -> Response:
        """Create Task: a success case task (``SCTASK…``), New."""
        case = case_to_work(request, number)
        data = cleaned(TaskForm(with_initial(TaskForm(), body_of(TaskInput, request.data))))
        task = case_services.task_create(case_pk=case.pk, user=request.user, data=dict(data))
        return Response(s.CaseTaskSerializer(_task(task.pk)).data, status=status.HTTP_201_CREATED)

    task_transition = transition_action(
        "task_transition",
        r"tasks/(?P<task_number>SCTASK[0-9]{1,12})/(?P<transition>start|pause|complete|cancel)",
        answer=s.CaseTaskSerializer,
        find=lambda case, task_number: get_object_or_404(case.tasks.all(), number=task_number),
        read=_task,
        operation_id="cases_tasks_transition",
        doc="Start work, pause, complete or cancel a task of the case.",
    )
