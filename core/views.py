import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render

from . import search
from .widgets import radio_choices
from .widgets import radio_results

#: A field's name and id as a SearchRadios box sends them (``?as=radios&name=…&id=…``).
_NAME = re.compile(r"[A-Za-z][\w-]{0,59}")


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
    if request.GET.get("as") == "radios":
        return _radios(request, found, term)
    options = found.options(found.queryset(), term)
    context = {"options": options, "empty": request.GET.get("empty", "")[:60], "term": term}
    return render(request, "core/widgets/search_options.html", context)


def _radios(request: HttpRequest, found: search.Lookup, term: str) -> HttpResponse:
    """The matches of a ``core.widgets.SearchRadios`` box: its radios (the checked one, sent
    back as ``<name>=<id>``, stays first) and, out of band, its live status line."""
    name, id_ = request.GET.get("name", ""), request.GET.get("id", "")
    if not (_NAME.fullmatch(name) and _NAME.fullmatch(id_)):
        return HttpResponse("Name the field: ?name=<field>&id=<its id>.", status=400)
    chosen = request.GET.getlist(name)[:1]
    options, more = radio_choices(found, found.queryset(), term, chosen, search.LIMIT)
    results = radio_results(found, name, id_, options, chosen, term, more)
    return render(
        request, "core/widgets/search_radios_results.html", {"results": results, "oob": True}
    )
