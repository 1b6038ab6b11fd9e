"""Accounts and Engagements lists. The record pages, which also show cases and plans,
are composed one layer up, in ``successhub.views``."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse

from core.lists import list_page

from . import selectors
from .filters import AccountFilter, EngagementFilter


@login_required
@permission_required("engagements.view_account", raise_exception=True)
def account_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        AccountFilter(request.GET, queryset=selectors.account_list()),
        template="engagements/account_list.html",
        fragment="engagements/partials/account_list_results.html",
    )


@login_required
@permission_required("engagements.view_engagement", raise_exception=True)
def engagement_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        EngagementFilter(request.GET, queryset=selectors.engagement_list()),
        template="engagements/engagement_list.html",
        fragment="engagements/partials/engagement_list_results.html",
    )
