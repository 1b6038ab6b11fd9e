"""Accounts and Engagements lists. The record pages, which also show cases and plans,
are composed one layer up, in ``successhub.views``."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required

from core.lists import list_view

from . import selectors
from .filters import AccountFilter
from .filters import EngagementFilter


def _viewers_of(model: str):
    """Signed in, with the view permission of ``model``; 403 otherwise."""

    def decorate(view):
        allowed = permission_required(f"engagements.view_{model}", raise_exception=True)(view)
        return login_required(allowed)

    return decorate


account_list = _viewers_of("account")(
    list_view(
        AccountFilter,
        selectors.account_list,
        template="engagements/account_list.html",
        fragment="engagements/partials/account_list_results.html",
    )
)
engagement_list = _viewers_of("engagement")(
    list_view(
        EngagementFilter,
        selectors.engagement_list,
        template="engagements/engagement_list.html",
        fragment="engagements/partials/engagement_list_results.html",
    )
)
