from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


#: Rows per page of a panel on a page that shows several lists (home, account page).
PANEL_SIZE = 10


def paginate(
    request: HttpRequest, queryset, per_page: int = PAGE_SIZE, *, param: str = "page"
) -> Page:
    """The requested page; a bad or too-large page number gives the nearest valid page.

    ``param`` names the query parameter, so that several lists on one page page apart.
    """
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    page.param = param
    return page
