from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render

from . import search


@login_required
def search_options(request: HttpRequest, lookup: str) -> HttpResponse:
    """The ``<option>``s matching ``?q=`` for a search-as-you-type field (htmx swaps them in).

    ``?empty=`` is the label of the field's empty choice (a filter's "Any account"); the first
    match is selected, as a plain ``<select>`` would after typing its first letters.
    """
    found = search.get(lookup)
    if found is None:
        raise Http404("No such search.")
    if not request.user.has_perm(found.permission):
        raise PermissionDenied("Your role may not search these records.")
    # The widget's box is named after its field ("account_q"), so a plain form can carry it.
    typed = [v for k, v in request.GET.items() if k == "q" or k.endswith("_q")]
    term = (typed[0] if typed else "")[:100].strip()
    options = found.options(found.queryset(), term)
    context = {"options": options, "empty": request.GET.get("empty", "")[:60], "term": term}
    return render(request, "core/widgets/search_options.html", context)
