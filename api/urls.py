"""``/api/``: the REST API (``api`` namespace), its schema and docs, and the tokens page."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpRequest
from django.urls import include
from django.urls import path
from django.urls import re_path
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularRedocView
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.decorators import api_view
from rest_framework.decorators import authentication_classes
from rest_framework.decorators import permission_classes
from rest_framework.decorators import schema
from rest_framework.decorators import throttle_classes
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from . import pages
from . import views

router = SimpleRouter()
router.register("accounts", views.AccountViewSet, basename="account")
router.register("engagements", views.EngagementViewSet, basename="engagement")
router.register("resources", views.ResourceViewSet, basename="resource")
router.register("cases", views.SuccessCaseViewSet, basename="case")
router.register("plans", views.SuccessPlanViewSet, basename="plan")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("kpis", views.ObjectiveKPIViewSet, basename="kpi")
router.register("playbooks", views.PlaybookViewSet, basename="playbook")
router.register("playbook-tasks", views.PlaybookTaskViewSet, basename="playbook-task")
router.register("challenges", views.BusinessChallengeViewSet, basename="challenge")


# The docs pages widen the Content-Security-Policy for themselves: Swagger UI and Redoc set
# inline styles and data: images, Redoc's search runs in a worker made from a blob. Their
# scripts stay files from this site (Swagger UI's settings script is served by the split view).
DOCS_CSP = {"style-src": [UNSAFE_INLINE], "img-src": ["data:"], "worker-src": ["blob:"]}


def _docs_page(view):
    return csp_update(DOCS_CSP)(csp_update(DOCS_CSP, REPORT_ONLY=True)(view))


@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
@schema(None)
def not_found(request: HttpRequest, rest: str) -> Response:
    """Any other URL under /api/ (``/api/v1/kpis/1.5/``, a typo): a 404 in the API's shape,
    never the HTML page (and no redirect adding a slash: a client fixes its URL). A DRF view,
    so a POST to a wrong URL is this 404 too, not the CSRF middleware's HTML 403."""
    return Response({"detail": "Not found."}, status=404)


api_patterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        _docs_page(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("redoc/", _docs_page(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    re_path(r"^(?P<rest>.*)$", not_found),
]

token_patterns = [
    path("", pages.token_list, name="token-list"),
    path("<int:pk>/revoke/", pages.token_revoke, name="token-revoke"),
]

urlpatterns = [
    # The HTML page first: /api/tokens/ is a page of the workspace, not an API endpoint.
    path("api/tokens/", include((token_patterns, "tokens"))),
    path("api/", include((api_patterns, "api"))),
]
