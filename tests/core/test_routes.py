"""core.routes.record_routes: the usual routes and names, and none for a view left out."""

from django.urls import URLResolver
from django.urls import path

from core.routes import record_routes


def _view(request, **kwargs):
    return None


def _table(resolver: URLResolver, prefix: str = "") -> list[tuple[str, str]]:
    rows = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            rows += _table(entry, route)
        else:
            rows.append((route, entry.name))
    return rows


def test_every_usual_view_gets_its_route_and_name():
    routes = record_routes(
        "things/", "thing", list=_view, new=_view, detail=_view, edit=_view, delete=_view
    )
    assert str(routes.pattern) == "things/"
    assert _table(routes) == [
        ("", "thing-list"),
        ("new/", "thing-new"),
        ("<int:pk>/", "thing-detail"),
        ("<int:pk>/edit/", "thing-edit"),
        ("<int:pk>/delete/", "thing-delete"),
    ]


def test_a_view_left_out_has_no_route_and_more_and_record_routes_join():
    routes = record_routes(
        "things/",
        "thing",
        list=_view,
        more=[path("export/", _view, name="thing-export")],
        record=[path("timeline/", _view, name="thing-timeline")],
    )
    assert _table(routes) == [
        ("", "thing-list"),
        ("export/", "thing-export"),
        ("<int:pk>/timeline/", "thing-timeline"),
    ]


def test_no_record_route_means_no_record_prefix():
    assert _table(record_routes("things/", "thing", list=_view)) == [("", "thing-list")]
