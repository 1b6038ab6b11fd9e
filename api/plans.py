"""Writes on success plans through the API: log a touchpoint (a CS activity).

As on the plan page: ``add`` permission on CS activities (Customer Success) first, 403;
then the plan, 404; the page's form reads the body (default field set) and the service
writes it, with the caller as its "who".
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from successplans import services as plan_services
from successplans.forms.records import CSActivityForm
from successplans.models import CSActivity
from successplans.models import SuccessPlan
from successplans.views.access import require_perm

from .inputs import body_of
from .inputs import cleaned
from .inputs import form_serializer
from .inputs import with_initial
from .permissions import ReadPermission
from .schema import created

CSActivityInput = form_serializer("CSActivityInput", CSActivityForm())


class CSActivitySerializer(serializers.ModelSerializer):
    who = serializers.CharField(source="who.username", read_only=True)

    class Meta:
        model = CSActivity
        fields = ["id", "plan", "type", "date", "subject", "notes", "who"]


class PlanWrites:
    """The write actions of ``SuccessPlanViewSet`` (mixed in)."""

    @extend_schema(request=CSActivityInput, responses=created(CSActivitySerializer))
    @action(detail=True, methods=["post"], permission_classes=[ReadPermission])
    def activities(self, request: Request, pk: str) -> Response:
        """Log a touchpoint (call, email, meeting...) on the plan: a CS activity."""
        require_perm(request, "add", CSActivity._meta.model_name)  # as the page: 403 first
        if not (pk.isascii() and pk.isdigit()):
            raise NotFound
        plan = get_object_or_404(SuccessPlan.objects.filter(is_template=False), pk=int(pk))
        body = with_initial(CSActivityForm(), body_of(CSActivityInput, request.data))
        data = cleaned(CSActivityForm(body))
        activity = plan_services.activity_create(plan=plan, data=data, user=request.user)
        return Response(CSActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
