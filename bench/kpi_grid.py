"""What a browser posts from a plan's Objective KPI Overview grid, read from the page's HTML.

Used by the reliability run (bench/reliability.py) and by the grid's concurrency tests
(tests/successplans/test_kpi_grid_concurrency.py): both post what a page showed.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _GridInputs(HTMLParser):
    """The named inputs and selects of the KPI grid form (its action ends in ``/kpis/``)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self.rows: dict[str, str] = {}  # KPI name -> its form prefix
        self._in_grid = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "/kpis/" in (attrs.get("action") or ""):
            self._in_grid = True
        if not self._in_grid or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs.get("value", "on")
            else:
                self.data[attrs["name"]] = attrs.get("value") or ""
            if attrs["name"].endswith("-name"):
                self.rows[attrs.get("value")] = attrs["name"].removesuffix("-name")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_grid = False


def read_grid(html: str) -> tuple[dict[str, str], dict[str, str]]:
    """(the data the grid form posts, KPI name -> its row's form prefix); both empty
    when the page has no grid."""
    parser = _GridInputs()
    parser.feed(html)
    return parser.data, parser.rows


def edited(loaded: tuple[dict, dict], changes: dict[str, dict[str, str]]) -> dict[str, str]:
    """The loaded grid's data with some cells changed: ``{"KPI name": {"current": "42"}}``."""
    data, rows = loaded
    data = dict(data)
    for kpi, cells in changes.items():
        data.update({f"{rows[kpi]}-{name}": value for name, value in cells.items()})
    return data
