"""Cursor pagination: each list in the order of an index, so a page costs the same at any
depth (no OFFSET, no COUNT)."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def cursor_in_order(*ordering: str) -> type[ApiCursorPagination]:
    """A paginator reading the list in ``ordering`` (the last field must make it unique)."""
    name = "CursorBy" + "".join(part.strip("-").title().replace("_", "") for part in ordering)
    return type(name, (ApiCursorPagination,), {"ordering": ordering})
