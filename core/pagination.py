from collections.abc import Callable

from django.core.paginator import Page
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 25

#: A list counts its rows up to this many (400 pages of 25) and says "more than" beyond.
#: Counting every row costs as much as reading them all (12 ms for 110,000 cases on
#: PostgreSQL, and it grows with the table); counting up to a limit costs the same at any
#: size. Decision: the exact figure matters for a list a person pages through; past
#: 10,000 rows nobody pages to the end, a filter narrows it.
COUNT_LIMIT = 10_000


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
    raw = request.GET.get(param)
    paginator = LimitedPaginator(queryset, per_page, asked=raw)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(raw)
    page.param = param
    return page


class LimitedPaginator(Paginator):
    """A paginator that counts a queryset's rows up to a limit (``COUNT_LIMIT``, or further
    when a later page is asked for: the asked page and the next one always exist).

    When there are more rows than the limit, ``capped`` is true, ``count`` is the limit plus
    one and the last page is the one after the counted ones, so "Next" keeps working.
    """

    def __init__(self, object_list, per_page, *, asked=None):
        super().__init__(object_list, per_page)
        number = int(asked) if str(asked or "").isdigit() and 0 < int(asked) < 10**7 else 1
        # A whole number of pages, at least the asked one and the one after it.
        self.limit = max(COUNT_LIMIT // per_page, number + 1) * per_page
        self.capped = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # SELECT COUNT(*) FROM (SELECT ... LIMIT limit + 1): stops after limit + 1 rows.
        counted = self.object_list.order_by()[: self.limit + 1].count()
        self.capped = counted > self.limit
        return counted

    @property
    def limit_label(self) -> str:
        return f"{self.limit:,}"

    @property
    def counted_pages(self) -> int:
        """The pages of the counted rows (when ``capped``, more follow)."""
        return self.limit // self.per_page if self.capped else self.num_pages


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
    request: HttpRequest,
    queryset,
    per_page: int = PANEL_SIZE,
    *,
    param: str = "page",
    read: Callable[[QuerySet], list] = list,
) -> Window:
    """Page ``?<param>=`` of ``queryset`` in one query (``per_page + 1`` rows read).

    ``read`` reads the page's slice (not yet read): a panel that prints rows read as values
    passes its row builder. A bad number gives the first page; a number past the end gives
    the first page too.
    """
    raw = request.GET.get(param, "")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1
    offset = (number - 1) * per_page
    rows = read(queryset[offset : offset + per_page + 1])
    if not rows and number > 1:
        number, rows = 1, read(queryset[: per_page + 1])
    return Window(rows[:per_page], number, len(rows) > per_page, param)
