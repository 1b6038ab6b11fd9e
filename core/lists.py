"""The one list-page helper: filter (django-filter) → sort → paginate → full page or fragment."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http import HttpResponse

from .htmx import render_page
from .pagination import PAGE_SIZE
from .pagination import paginate


def filtered_rows(filterset):
    """The rows a filter bar selects; none while its input is not valid (its errors show)."""
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def list_page(
    request: HttpRequest,
    filterset,
    *,
    template: str,
    fragment: str,
    extra: dict | None = None,
    per_page: int = PAGE_SIZE,
    rows=None,
    count: int | None = None,
    complete: Callable[[list], list] | None = None,
) -> HttpResponse:
    """Render a list page: ``filter`` and ``page`` in the context, plus ``extra``.

    ``rows`` overrides the filtered queryset (e.g. after annotating it); the
    fragment is what htmx swaps in when a filter changes. ``count``, when the
    caller already knows how many rows there are, saves the paginator's count;
    ``complete`` receives the page's rows as the paginator slices them (a queryset not yet
    read, so that it may read them as ``values()``) and returns them, as a list, with what
    is read for the page only (e.g. per-row figures or children).
    """
    if rows is None:
        rows = filtered_rows(filterset)
    page = paginate(request, rows, per_page, count=count)
    if complete is not None:
        page.object_list = complete(page.object_list)
    context = {"filter": filterset, "page": page, **(extra or {})}
    return render_page(request, template, fragment, context)


def list_view(
    filterset_class,
    rows: Callable,
    *,
    template: str,
    fragment: str,
    complete: Callable[[list], list] | None = None,
):
    """A view function for a plain list page: ``filterset_class`` over ``rows()``
    (``complete``: as for ``list_page``).

    Decorate it for access where it is declared, e.g.
    ``account_list = permission_required(...)(list_view(AccountFilter, selectors.account_list,
    template=..., fragment=...))``.
    """

    def view(request: HttpRequest) -> HttpResponse:
        filterset = filterset_class(request.GET, queryset=rows())
        return list_page(
            request, filterset, template=template, fragment=fragment, complete=complete
        )

    return view
