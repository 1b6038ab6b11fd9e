from django.core.paginator import Page
from django.core.paginator import Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


#: Rows per page of a panel on a page that shows several lists (home, account page).
PANEL_SIZE = 10


def paginate(
    request: HttpRequest,
    queryset,
    per_page: int = PAGE_SIZE,
    *,
    param: str = "page",
    count: int | None = None,
) -> Page:
    """The requested page; a bad or too-large page number gives the nearest valid page.

    ``param`` names the query parameter, so that several lists on one page page apart.
    ``count`` is the number of rows when the caller knows it already (no COUNT query).
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get(param))
    page.param = param
    return page


class Window:
    """One page of a panel, read without counting the rows: this page's rows and whether
    more follow. Counting an agent's open cases costs as much as reading them all; a panel
    only needs "Previous" and "Next"."""

    def __init__(self, rows: list, number: int, has_next: bool, param: str):
        self.object_list = rows
        self.number = number
        self.has_next = has_next
        self.has_previous = number > 1
        self.previous_page_number = number - 1
        self.next_page_number = number + 1
        self.param = param

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def window(
    request: HttpRequest, queryset, per_page: int = PANEL_SIZE, *, param: str = "page"
) -> Window:
    """Page ``?<param>=`` of ``queryset`` in one query (``per_page + 1`` rows read).

    A bad number gives the first page; a number past the end gives the first page too.
    """
    raw = request.GET.get(param, "")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        number, rows = 1, list(queryset[: per_page + 1])
    return Window(rows[:per_page], number, len(rows) > per_page, param)
