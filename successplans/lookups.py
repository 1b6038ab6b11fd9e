"""Search-as-you-type lookups for success plans (``core.search``)."""

from core.search import Lookup, register

from .models import SuccessPlan


def plan_label(plan: SuccessPlan) -> str:
    return f"{plan.name} ({plan.account.name})" if plan.account_id else plan.name


PLANS = register(
    Lookup(
        name="plans",
        permission="successplans.view_successplan",
        queryset=lambda: (
            SuccessPlan.objects.filter(is_template=False)
            .select_related("account")
            .order_by("name", "pk")
        ),
        fields=("name", "account__name"),
        label=plan_label,
    )
)
