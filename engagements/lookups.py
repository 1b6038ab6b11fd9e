"""Search-as-you-type lookups for accounts, engagements and people (``core.search``)."""

from django.contrib.auth import get_user_model

from core.formatting import person
from core.search import Lookup
from core.search import register

from .models import Account
from .models import Engagement

#: A person in a filter or a form is labelled as on every page (``core.formatting.person``).
person_label = person


ACCOUNTS = register(
    Lookup(
        name="accounts",
        permission="engagements.view_account",
        queryset=lambda: Account.objects.order_by("name"),
        fields=("name", "industry"),
    )
)


def _engagements(**filters):
    return (
        Engagement.objects.filter(**filters)
        .select_related("account")
        .order_by("account__name", "name")
    )


def _engagement_lookup(name: str, queryset) -> Lookup:
    """Engagements by name or account name."""
    fields = ("name", "account__name")
    return register(Lookup(name, "engagements.view_engagement", queryset, fields))


ENGAGEMENTS = _engagement_lookup("engagements", _engagements)
# New success cases are opened for open engagements only.
OPEN_ENGAGEMENTS = _engagement_lookup(
    "open-engagements", lambda: _engagements(state__in=Engagement.OPEN_STATES)
)
PEOPLE = register(
    Lookup(
        name="people",
        permission="engagements.view_account",
        queryset=lambda: (
            get_user_model()
            .objects.filter(is_active=True)
            .order_by("first_name", "last_name", "username")
        ),
        fields=("username", "first_name", "last_name"),
        label=person_label,
    )
)
