"""Search-as-you-type lookups of the success case pages (``core.search``)."""

from core.formatting import person
from core.search import Lookup
from core.search import register
from engagements.models import Engagement

from .services.squad import success_agents

#: Who a case can be handed to: active Success Agents, by name or username.
SUCCESS_AGENTS = register(
    Lookup(
        name="success-agents",
        permission="playbooks.change_successcase",
        queryset=success_agents,
        fields=("username", "first_name", "last_name"),
        label=person,
    )
)

#: New's Engagement field: the engagements a success case may be opened for (open ones),
#: by account or engagement name, for those who may open cases.
CASE_ENGAGEMENTS = register(
    Lookup(
        name="case-engagements",
        permission="playbooks.add_successcase",
        queryset=lambda: (
            Engagement.objects.filter(state__in=Engagement.OPEN_STATES)
            .select_related("account")
            .order_by("account__name", "name")
        ),
        fields=("account__name", "name"),
        singular="open engagement",
        plural="open engagements",
    )
)
