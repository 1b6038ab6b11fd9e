"""Search-as-you-type lookups for success plans (``core.search``)."""

from core.search import Lookup
from core.search import register
from engagements.models import Resource

from .models import SuccessPlan


def plan_label(plan: SuccessPlan) -> str:
    if plan.is_template:
        return f"{plan.name} (template)"
    return f"{plan.name} ({plan.account.name})" if plan.account_id else plan.name


def _plans():
    return SuccessPlan.objects.select_related("account").order_by("name", "pk")


def _plan_lookup(name: str, queryset) -> Lookup:
    """Plans by name or account name, labelled with both."""
    plan_fields = ("name", "account__name")
    return register(
        Lookup(name, "successplans.view_successplan", queryset, plan_fields, plan_label)
    )


PLANS = _plan_lookup("plans", lambda: _plans().filter(is_template=False))
# Business challenges may belong to templates too: their filter and form search every plan.
ALL_PLANS = _plan_lookup("all-plans", _plans)

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
