"""The Engagements list. The accounts list and page (with health, cases and plans) and the
engagement page are composed one layer up, in ``successhub.accounts`` and ``successhub.views``."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required

from core.lists import list_view

from . import selectors
from .filters import EngagementFilter


def _viewers_of(model: str):
    """Signed in, with the view permission of ``model``; 403 otherwise."""

    def decorate(view):
        allowed = permission_required(f"engagements.view_{model}", raise_exception=True)(view)
        return login_required(allowed)

    return decorate


engagement_list = _viewers_of("engagement")(
    list_view(
        EngagementFilter,
        selectors.engagement_list,
        template="engagements/engagement_list.html",
        fragment="engagements/partials/engagement_list_results.html",
    )
)
