"""Template helpers shared by every app's pages."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.utils.html import conditional_escape
from django.utils.html import format_html

from core import formatting
from core.links import record_url

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str) -> str:
    """A column header linking to the list sorted by ``field``; clicking again reverses it.

    Keeps the other query parameters (filters, search) and resets the page.
    """
    request = context["request"]
    current = request.GET.get("sort", "")
    descending = current == field
    params = request.GET.copy()
    params["sort"] = f"-{field}" if descending else field
    params.pop("page", None)
    arrow, aria = "", "none"
    if current == field:
        arrow, aria = " ▲", "ascending"
    elif current == f"-{field}":
        arrow, aria = " ▼", "descending"
    return format_html(
        '<th aria-sort="{}"><a href="?{}">{}{}</a></th>', aria, params.urlencode(), label, arrow
    )


@register.simple_tag(takes_context=True)
def page_url(context, number: int, param: str = "") -> str:
    """The current URL's query string with another page number (``param``, default "page")."""
    params = context["request"].GET.copy()
    params[param or "page"] = number
    return f"?{params.urlencode()}"


register.filter("badge_class", formatting.badge_class)
register.filter("person", formatting.person)
register.filter("duration", formatting.duration)
register.filter("hours", formatting.hours)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter, with a fast path for the formats our pages use in lists.

    Django's filter parses the format and translates the month name on every call (~75 µs
    of CPU, a quarter of a list row); these formats are a string built from the fields and
    a month name looked up once per language. Every other format, and anything not a date,
    goes to Django's filter. It replaces the built-in ``date`` in every template (our
    builtins load after Django's); a test compares the two.
    """
    return formatting.short_date(value, arg)


class _RecordURLNode(URLNode):
    """Django's ``{% url %}`` node; positional arguments build the link with ``record_url``
    (no resolver walk per row). Keyword arguments and ``as var`` go to Django's node. Every
    namespace of ours has one instance, so the current app Django passes to ``reverse()``
    changes nothing here."""

    def render(self, context):
        if self.kwargs or self.asvar:
            return super().render(context)
        url = record_url(
            self.view_name.resolve(context), *(arg.resolve(context) for arg in self.args)
        )
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """``{% url %}``, fast for the links of list rows (``_RecordURLNode``); it replaces the
    built-in tag in every template, as our ``date`` filter does."""
    node = django_url(parser, token)
    return _RecordURLNode(node.view_name, node.args, node.kwargs, node.asvar)
