"""The fast paths of lists' rows give exactly what Django gives: ``core.links.record_url``
against ``reverse()``, our ``date`` filter against Django's."""

from datetime import UTC
from datetime import date
from datetime import datetime

import pytest
from django.template import Context
from django.template import Engine
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.test import override_settings
from django.urls import NoReverseMatch
from django.urls import reverse
from django.urls import set_script_prefix
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.links import record_url

FORMATS = ["M j, Y", "M j, Y H:i", "M j", "M j, H:i", "Y-m-d", "c", "D, N j", None]

ARGS = [
    ("engagements:account-detail", (7,)),
    ("engagements:engagement-detail", (123456,)),
    ("playbooks:case-detail", ("CS0000042",)),
    ("playbooks:task-edit", ("CS0000042", "CTASK0000007")),
    ("playbooks:meeting-edit", ("CS0000042", 3)),
    ("successplans:plan-detail", (5,)),
    # Not plain: reverse() quotes these, so record_url hands them to reverse().
    ("playbooks:case-detail", ("CS 42",)),
    ("playbooks:case-detail", ("ü..?&",)),
]


@pytest.mark.parametrize(("name", "args"), ARGS)
@pytest.mark.parametrize("prefix", ["/", "/successhub/"])
def test_a_record_url_is_what_reverse_gives(name, args, prefix):
    set_script_prefix(prefix)
    try:
        first = record_url(name, *args)
        assert first == reverse(name, args=args)
        assert record_url(name, *args) == first  # the cached pattern gives it again
        assert first.startswith(prefix)
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("engagements:account-detail", (None,)),  # "None" where a number goes
        ("engagements:account-detail", ("abc",)),
        ("engagements:account-detail", (7, 8)),  # one argument too many
        ("no-such-page", (7,)),
    ],
)
def test_a_record_url_refuses_what_reverse_refuses(name, args):
    with pytest.raises(NoReverseMatch):
        reverse(name, args=args)
    with pytest.raises(NoReverseMatch):
        record_url(name, *args)


URL_TAGS = [
    "{% url 'home' %}",
    "{% url 'engagements:account-detail' account %}",
    "{% url 'engagements:account-detail' pk=account %}",
    "{% url 'playbooks:task-edit' number task %}",
    "{% url 'playbooks:case-detail' odd %}",
    "{% url 'admin:index' %}",
    "{% url 'engagements:account-detail' account as link %}[{{ link }}]",
    "{% url 'nowhere' as link %}[{{ link }}]",
    "{% url name account %}",
]


@pytest.mark.parametrize("source", URL_TAGS)
def test_our_url_tag_gives_what_djangos_gives(source):
    context = {
        "account": 7,
        "number": "CS0000042",
        "task": "CTASK0000007",
        "odd": "a b&c",
        "name": "engagements:engagement-detail",
    }
    ours = engines["django"].from_string(source).render(context)
    stock = Engine().from_string(source)  # Django's built-ins only
    assert ours == stock.render(Context(context))
    assert ours.strip("[]") or "nowhere" in source


def test_a_record_url_follows_another_urlconf():
    before = record_url("engagements:account-detail", 7)
    with override_settings(ROOT_URLCONF="tests.core.urls_elsewhere"):
        assert record_url("engagements:account-detail", 7) == "/elsewhere/accounts/7/"
    assert record_url("engagements:account-detail", 7) == before


def test_templates_use_our_date_filter_and_url_tag():
    from core.templatetags import workspace

    template = engines["django"].from_string('{{ when|date:"M j, Y" }}')
    ours = template.template.engine.template_builtins[-1]
    assert ours.filters["date"] is workspace.date
    assert ours.tags["url"] is workspace.url


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    when=st.one_of(
        st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
        st.dates(),
    ),
    fmt=st.sampled_from(FORMATS),
    language=st.sampled_from(["en", "de", "fr", "ja"]),
)
def test_our_date_filter_gives_what_djangos_gives(when, fmt, language):
    from core.templatetags.workspace import date as ours

    with translation.override(language):
        assert _outcome(ours, when, fmt) == _outcome(django_date, when, fmt)


def _outcome(date_filter, when, fmt):
    try:
        return date_filter(when, fmt)
    except TypeError as error:  # a time format for a date: Django refuses it
        return type(error)


@override_settings(TIME_ZONE="America/New_York")
@pytest.mark.parametrize("fmt", ["M j, Y", "M j, Y H:i", "M j, H:i"])
def test_an_aware_moment_shows_in_the_local_time_zone(fmt):
    when = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)  # Feb 28, 21:30 in New York
    html = engines["django"].from_string("{{ when|date:'" + fmt + "' }}").render({"when": when})
    assert html.startswith("Feb 28")
    with translation.override("en"):
        expected = engines["django"].from_string(
            "{% load tz %}{{ when|localtime|date:'" + fmt + "' }}"
        )
    assert html == expected.render({"when": when})
    assert "21:30" in html or "H:i" not in fmt
    assert date(2026, 2, 28).day == 28
