"""Search-as-you-type lookups of the success case pages (``core.search``)."""

from core.formatting import person
from core.search import Lookup
from core.search import register

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
