"""The REST API's endpoints (``/api/v1/``): the same reads and writes as the pages.

Each viewset reads through a selector, filters list pages with the page's FilterSet
(without its ``sort``: a cursor walks one index order), checks the model permission the
page checks, and writes through the app's service.
"""

from __future__ import annotations

from django_filters import FilterSet
from django_filters import ModelChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from engagements.filters import AccountFilter
from engagements.filters import EngagementFilter
from engagements.models import Resource
from playbooks.filters import SuccessCaseFilter
from successplans import services as plan_services
from successplans.filters import SuccessPlanFilter
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import SuccessPlan
from successplans.views.access import record_to
from successplans.views.children import CHALLENGES
from successplans.views.children import OBJECTIVES
from successplans.views.children import PLAYBOOKS
from successplans.views.children import TASKS

from . import selectors
from . import serializers as s
from .admin_writes import AccountForm
from .admin_writes import AdminWrites
from .admin_writes import EngagementForm
from .admin_writes import ResourceForm
from .admin_writes import admin_writes
from .cases import CaseWrites
from .pagination import cursor_in_order
from .plans import PlanWrites
from .records import PlanRecordWrites
from .records import RecordWrites
from .records import record_schema


def _api_filter(page_filter: type[FilterSet]) -> type[FilterSet]:
    """The page's FilterSet without its ``sort`` (a cursor reads the list in one order)."""
    return type(f"Api{page_filter.__name__}", (page_filter,), {"sort": None})


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List (cursor pages, the page's filters) and detail of one resource. Pages follow the
    id unless a resource names its list's own order."""

    filter_backends = [DjangoFilterBackend]
    pagination_class = cursor_in_order("id")
    detail_serializer_class = None
    detail_queryset = None

    def get_queryset(self):
        if self.action != "list" and self.detail_queryset is not None:
            return self.detail_queryset()
        return self.list_queryset()

    def get_serializer_class(self):
        if self.action != "list" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class


@admin_writes(AccountForm, s.AccountSerializer)
class AccountViewSet(AdminWrites, ReadViewSet):
    """Accounts: the filters of the Accounts page; by name (its unique index). Admins write."""

    list_queryset = staticmethod(selectors.accounts)
    serializer_class = s.AccountSerializer
    filterset_class = _api_filter(AccountFilter)
    pagination_class = cursor_in_order("name")


@admin_writes(EngagementForm, s.EngagementSerializer)
class EngagementViewSet(AdminWrites, ReadViewSet):
    """Engagements: the filters of the Engagements page; in the order they were created.
    Admins write."""

    list_queryset = staticmethod(selectors.engagements)
    serializer_class = s.EngagementSerializer
    filterset_class = _api_filter(EngagementFilter)


class ResourceFilter(FilterSet):
    class Meta:
        model = Resource
        fields = ["is_active", "is_psa"]


@admin_writes(ResourceForm, s.ResourceSerializer)
class ResourceViewSet(AdminWrites, ReadViewSet):
    """Resources: the users who can be given success work (``?is_active=``, ``?is_psa=``); in
    the order they were created. Admins write."""

    list_queryset = staticmethod(selectors.resources)
    serializer_class = s.ResourceSerializer
    filterset_class = ResourceFilter


class SuccessCaseViewSet(CaseWrites, mixins.CreateModelMixin, ReadViewSet):
    """Success cases: the filters of All Success Cases; newest first (the ``case_opened``
    index); a case is named by its number, as on the pages."""

    list_queryset = staticmethod(selectors.cases)
    detail_queryset = staticmethod(selectors.case_detail)
    serializer_class = s.SuccessCaseSerializer
    detail_serializer_class = s.SuccessCaseDetailSerializer
    filterset_class = _api_filter(SuccessCaseFilter)
    pagination_class = cursor_in_order("-opened_at", "-id")
    lookup_field = "number"


class SuccessPlanViewSet(PlanRecordWrites, PlanWrites, ReadViewSet):
    """Success plans: the filters of the Success Plans tab (live plans unless
    ``is_template=yes``); by name (the ``plan_live_name_idx`` index)."""

    list_queryset = staticmethod(selectors.plans)
    serializer_class = s.SuccessPlanSerializer
    filterset_class = _api_filter(SuccessPlanFilter)
    pagination_class = cursor_in_order("name", "id")


# Ids as the pages' filters take them (ModelChoiceFilter): an unknown or out-of-range id is a
# 400 with a message, never a query the database cannot run.
class ObjectiveFilter(FilterSet):
    plan = ModelChoiceFilter(
        queryset=SuccessPlan.objects.all(), help_text="Only the objectives of this plan."
    )

    class Meta:
        model = Objective
        fields = ["plan"]


@extend_schema_view(**record_schema(OBJECTIVES))
class ObjectiveViewSet(RecordWrites, ReadViewSet):
    """Objectives of success plans (``?plan=``); the detail lists their KPIs. Customer Success
    changes and deletes them (``POST /plans/<id>/objectives/`` adds one)."""

    kind = OBJECTIVES
    list_queryset = staticmethod(selectors.objectives)
    detail_queryset = staticmethod(selectors.objective_detail)
    serializer_class = s.ObjectiveSerializer
    detail_serializer_class = s.ObjectiveDetailSerializer
    filterset_class = ObjectiveFilter


class _RecordViewSet(RecordWrites, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    def get_queryset(self):
        return self.kind.queryset()


@extend_schema_view(**record_schema(PLAYBOOKS))
class PlaybookViewSet(_RecordViewSet):
    """A plan's playbook: read, change, delete (with its tasks); added on the plan."""

    kind = PLAYBOOKS
    serializer_class = s.PlaybookSerializer


@extend_schema_view(**record_schema(TASKS))
class PlaybookTaskViewSet(_RecordViewSet):
    """A plan's playbook task: read, change, delete; added on the plan."""

    kind = TASKS
    serializer_class = s.PlaybookTaskSerializer


@extend_schema_view(**record_schema(CHALLENGES))
class BusinessChallengeViewSet(_RecordViewSet):
    """A plan's business challenge: read, change, delete; added on the plan."""

    kind = CHALLENGES
    serializer_class = s.BusinessChallengeSerializer


class ObjectiveKPIFilter(FilterSet):
    objective = ModelChoiceFilter(
        queryset=Objective.objects.all(), help_text="Only this objective's KPIs."
    )
    plan = ModelChoiceFilter(
        field_name="objective__plan",
        queryset=SuccessPlan.objects.all(),
        help_text="Only this plan's KPIs.",
    )

    class Meta:
        model = ObjectiveKPI
        fields = ["objective", "plan"]


class ObjectiveKPIViewSet(mixins.UpdateModelMixin, ReadViewSet):
    """Objective KPIs; ``PATCH`` feeds a new current value (usage data) into its history."""

    list_queryset = staticmethod(selectors.kpis)
    detail_queryset = staticmethod(selectors.kpi_detail)
    serializer_class = s.ObjectiveKPISerializer
    detail_serializer_class = s.ObjectiveKPIDetailSerializer
    filterset_class = ObjectiveKPIFilter
    http_method_names = ["get", "head", "patch"]
    #: A service's DomainError about a model field is reported under the API's name for it.
    api_field_names = {"current": "current_value"}

    @extend_schema(request=s.KPIValueInputSerializer)  # answers: the KPI with its history
    def partial_update(self, request: Request, pk: str) -> Response:
        # The page's access helper: 403 unless the role may change KPIs, then 404 if unknown.
        if not (pk.isascii() and pk.isdigit()):  # as DRF's own lookups: not a number, not found
            raise NotFound
        kpi = record_to(request, "change", selectors.kpis(), pk=int(pk))
        body = s.KPIValueInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The service saves (and keeps in the history) only a value that changes, as on the page.
        plan_services.kpi_update(
            kpi=kpi, data={"current": body.validated_data["current_value"]}, user=request.user
        )
        return Response(s.ObjectiveKPIDetailSerializer(selectors.kpi_detail().get(pk=kpi.pk)).data)
