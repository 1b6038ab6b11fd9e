"""Read queries for the engagements pages, with their joins stated."""

from django.db.models import OuterRef
from django.db.models import QuerySet

from core.queries import subquery_count

from .models import Account
from .models import Engagement


def account_list() -> QuerySet[Account]:
    return (
        Account.objects.select_related("owner")
        .annotate(
            engagement_count=subquery_count(Engagement.objects.filter(account=OuterRef("pk")))
        )
        .order_by("name")
    )


def engagement_list() -> QuerySet[Engagement]:
    return Engagement.objects.select_related("account", "owner").order_by("account__name", "name")


def account_engagements(account: Account) -> QuerySet[Engagement]:
    return account.engagements.select_related("owner").order_by("-start_date", "name")


def owned_by(user) -> dict[str, QuerySet]:
    """The signed-in user's own work for the home page."""
    return {
        "accounts": account_list().filter(owner=user),
        "engagements": engagement_list()
        .filter(owner=user, state__in=Engagement.OPEN_STATES)
        .order_by("end_date", "name"),
    }
