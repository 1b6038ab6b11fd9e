"""Search-as-you-type lookups for success plans (``core.search``)."""

from core.search import Lookup, register
from engagements.models import Resource

from .models import SuccessPlan


def plan_label(plan: SuccessPlan) -> str:
    if plan.is_template:
        return f"{plan.name} (template)"
    return f"{plan.name} ({plan.account.name})" if plan.account_id else plan.name


def _plans():
    return SuccessPlan.objects.select_related("account").order_by("name", "pk")


PLANS = register(
    Lookup(
        name="plans",
        permission="successplans.view_successplan",
        queryset=lambda: _plans().filter(is_template=False),
        fields=("name", "account__name"),
        label=plan_label,
    )
)
# Business challenges may belong to templates too: their filter and form search every plan.
ALL_PLANS = register(
    Lookup(
        name="all-plans",
        permission="successplans.view_successplan",
        queryset=_plans,
        fields=("name", "account__name"),
        label=plan_label,
    )
)

_RESOURCE_FIELDS = ("user__username", "user__first_name", "user__last_name", "title")

# Who may be given success work (a plan's owner, a child's resource).
RESOURCES = register(
    Lookup(
        name="resources",
        permission="successplans.view_successplan",
        queryset=lambda: Resource.objects.assignable().select_related("user"),
        fields=_RESOURCE_FIELDS,
    )
)
# Every resource: a list filters by owners who may since have left.
OWNERS = register(
    Lookup(
        name="owners",
        permission="successplans.view_successplan",
        queryset=lambda: Resource.objects.select_related("user"),
        fields=_RESOURCE_FIELDS,
    )
)
