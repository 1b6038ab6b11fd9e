"""What the API reads: the apps' own selectors, with the few joins its bodies add."""

from __future__ import annotations

from django.db.models import Prefetch
from django.db.models import QuerySet

from engagements import selectors as engagement_selectors
from engagements.models import Account
from engagements.models import Engagement
from engagements.models import Resource
from playbooks import selectors as case_selectors
from playbooks.models import SuccessCase
from successplans import selectors as plan_selectors
from successplans.models import KPIValue
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import SuccessPlan

from .models import ApiToken


def accounts() -> QuerySet[Account]:
    return engagement_selectors.account_list()


def engagements() -> QuerySet[Engagement]:
    return engagement_selectors.engagement_list()


def resources() -> QuerySet[Resource]:
    return Resource.objects.select_related("user")


def cases() -> QuerySet[SuccessCase]:
    return case_selectors.case_list()


def case_detail() -> QuerySet[SuccessCase]:
    return case_selectors.case_detail()


def plans() -> QuerySet[SuccessPlan]:
    return plan_selectors.plan_rows()


def objectives() -> QuerySet[Objective]:
    return plan_selectors.child_of_plan(Objective).select_related("resource__user")


def objective_detail() -> QuerySet[Objective]:
    return plan_selectors.objective_page()


def kpis() -> QuerySet[ObjectiveKPI]:
    return plan_selectors.kpi_for_change()


def kpi_detail() -> QuerySet[ObjectiveKPI]:
    return kpis().prefetch_related(
        Prefetch("history", queryset=KPIValue.objects.select_related("recorded_by"))
    )


def tokens_of(user) -> QuerySet[ApiToken]:
    """A user's tokens, newest first (their API tokens page)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
