"""One kind of record's usual URLs below one prefix, so that each app's URL table names only
its views: ``record_routes("plans/", "plan", list=…, new=…, edit=…, delete=…)``.

The routes and names are Django's usual ones: the list at the prefix (``<name>-list``), then
``new/``, ``<pk>/`` (``<name>-detail``), ``<pk>/edit/`` and ``<pk>/delete/``; a view left out
has no route. ``more`` adds routes beside the list (``export/``), ``record`` routes below one
record (``<pk>/timeline/``), each a ``path()`` relative to where it stands.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence

from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import include
from django.urls import path

View = Callable[..., object]


def record_routes(
    prefix: str,
    name: str,
    *,
    list: View | None = None,
    new: View | None = None,
    detail: View | None = None,
    edit: View | None = None,
    delete: View | None = None,
    more: Sequence[URLPattern | URLResolver] = (),
    record: Sequence[URLPattern | URLResolver] = (),
) -> URLResolver:
    """``prefix`` with the record's routes below it (see the module's docstring)."""
    usual = (("", list, "list"), ("new/", new, "new"))
    own = (("", detail, "detail"), ("edit/", edit, "edit"), ("delete/", delete, "delete"))
    below_one = [path(route, view, name=f"{name}-{what}") for route, view, what in own if view]
    below_one += record
    routes = [path(route, view, name=f"{name}-{what}") for route, view, what in usual if view]
    routes += more
    if below_one:
        routes.append(path("<int:pk>/", include(below_one)))
    return path(prefix, include(routes))
