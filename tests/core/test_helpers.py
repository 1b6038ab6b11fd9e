"""The shared helpers in core: formatting, yes/no filter, stable ordering, fragments."""

from datetime import timedelta

import django_filters
import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core import formatting
from core.filters import StableOrdering
from core.filters import YesNoFilter
from core.htmx import is_fragment
from core.htmx import render_page
from tests.factories import UserFactory

User = get_user_model()


def test_hours_and_duration_read_the_same_way_everywhere():
    assert formatting.hours(timedelta(hours=52, minutes=15)) == "52.2"
    assert formatting.hours(timedelta(hours=52, minutes=15), places=2, none="") == "52.25"
    assert formatting.hours(None) == "—"
    assert formatting.hours(None, none="") == ""
    assert formatting.duration(timedelta(hours=26, minutes=30)) == "26.5 hours"
    assert formatting.duration(timedelta(days=9, hours=10)) == "9.4 days"
    assert formatting.duration(None) == "—"


@pytest.mark.django_db
def test_a_person_is_the_full_name_or_the_username():
    assert formatting.person(UserFactory(first_name="Ada", last_name="Lovelace")) == "Ada Lovelace"
    assert (
        formatting.person(UserFactory(username="nobody", first_name="", last_name="")) == "nobody"
    )
    assert formatting.person(None) == "—"


class _Users(django_filters.FilterSet):
    active = YesNoFilter(field_name="is_active")
    sort = StableOrdering(fields=(("first_name", "first"),))

    class Meta:
        model = User
        fields = ["active"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", ["on"]), ("false", ["off"]), ("yes", ["on"]), ("no", ["off"]), ("", ["off", "on"])],
)
def test_the_yes_no_filter_reads_true_false_and_yes_no(value, expected):
    UserFactory(username="on", is_active=True)
    UserFactory(username="off", is_active=False)
    rows = _Users({"active": value}, queryset=User.objects.order_by("username")).qs
    assert [u.username for u in rows] == expected


def test_the_yes_no_filter_says_any_not_unknown():
    assert '<option value="" selected>Any</option>' in str(_Users({}).form["active"])


@pytest.mark.django_db
def test_sorting_by_a_repeating_column_breaks_ties_by_newest_first():
    first = UserFactory(first_name="Sam")
    second = UserFactory(first_name="Sam")
    rows = _Users({"sort": "first"}, queryset=User.objects.all()).qs
    assert [u.pk for u in rows] == [second.pk, first.pk]


def _request(htmx: dict[str, str] | None = None):
    from django_htmx.middleware import HtmxDetails

    request = RequestFactory().get("/", headers=htmx or {})
    request.htmx = HtmxDetails(request)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_only_a_non_boosted_htmx_request_is_a_fragment():
    assert not is_fragment(_request())
    assert is_fragment(_request({"HX-Request": "true"}))
    assert not is_fragment(_request({"HX-Request": "true", "HX-Boosted": "true"}))


def test_a_fragment_carries_the_messages_region_out_of_band(settings):
    from django.contrib import messages

    request = _request({"HX-Request": "true"})
    messages.success(request, "Objective saved.")
    response = render_page(request, "base.html", "core/messages.html", {})
    html = response.content.decode()
    assert html.count('id="messages"') == 2
    assert 'hx-swap-oob="true"' in html
    assert "Objective saved." in html


def test_a_fragment_without_messages_clears_the_region():
    """The next in-place change clears the last action's message (issue 12, defect 3)."""
    response = render_page(_request({"HX-Request": "true"}), "base.html", "core/messages.html", {})
    html = response.content.decode()
    assert html.count('id="messages"') == 2
    assert 'hx-swap-oob="true"' in html
    assert "<li" not in html


def test_the_search_filter_is_a_search_box():
    class _Search(django_filters.FilterSet):
        from core.filters import SearchFilter

        q = SearchFilter(method="search")

        class Meta:
            model = User
            fields = ["q"]

    html = str(_Search({}).form["q"])
    assert 'type="search"' in html
    assert 'placeholder="Search"' in html
    assert _Search({}).form["q"].label == "Search"


@pytest.mark.django_db
def test_a_yes_no_filter_explains_a_value_it_does_not_know():
    filterset = _Users({"active": "maybe"}, queryset=User.objects.all())
    assert not filterset.is_valid()
    assert filterset.errors["active"] == ["Select a valid choice."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "shown", "number", "has_next"),
    [
        ("", ["u00", "u01", "u02"], 1, True),
        ("2", ["u03", "u04", "u05"], 2, True),
        ("3", ["u06"], 3, False),
        ("9", ["u00", "u01", "u02"], 1, True),  # past the end: the first page
        ("x", ["u00", "u01", "u02"], 1, True),  # not a number: the first page
    ],
)
def test_a_panel_window_pages_without_counting(
    django_assert_num_queries, asked, shown, number, has_next
):
    from core.pagination import window

    for n in range(7):
        UserFactory(username=f"u{n:02d}")
    request = RequestFactory().get("/", {"p": asked})
    with django_assert_num_queries(1 if asked != "9" else 2):
        page = window(request, User.objects.order_by("username"), 3, param="p")
    assert [u.username for u in page] == shown
    assert (page.number, page.has_next, page.has_previous) == (number, has_next, number > 1)


@pytest.mark.parametrize(
    ("asked", "shown", "capped", "count", "label"),
    [
        # 12 users, 3 a page, counted up to 6: page 1 says "of more than 2", 7+ results.
        ("1", ["u00", "u01", "u02"], True, 7, "Page 1 of more than 2"),
        # A later page moves the limit: the asked page and the one after it are counted.
        ("2", ["u03", "u04", "u05"], True, 10, "Page 2 of more than 3"),
        ("3", ["u06", "u07", "u08"], False, 12, "Page 3 of 4"),
        # The asked page past the end gives the last page, as Django's get_page does.
        ("9", ["u09", "u10", "u11"], False, 12, "Page 4 of 4"),
    ],
)
@pytest.mark.django_db
def test_a_list_counts_its_rows_up_to_a_limit(monkeypatch, asked, shown, capped, count, label):
    from django.template.loader import render_to_string

    from core import pagination

    monkeypatch.setattr(pagination, "COUNT_LIMIT", 6)
    for n in range(12):
        UserFactory(username=f"u{n:02d}")
    request = RequestFactory().get("/", {"page": asked})
    page = pagination.paginate(request, User.objects.order_by("username"), 3)
    assert [u.username for u in page] == shown
    assert (page.paginator.capped, page.paginator.count) == (capped, count)
    html = render_to_string(
        "successhub/partials/pagination.html", {"page": page, "request": request}
    )
    assert label in " ".join(html.split())
    assert ("results" in html and "More than" in html) is capped
    if asked == "1":
        assert "More than 6 results" in html
    assert page.has_next() is (asked != "9")


@pytest.mark.django_db
def test_the_limited_count_stops_reading_at_the_limit(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import pagination

    monkeypatch.setattr(pagination, "COUNT_LIMIT", 6)
    for n in range(12):
        UserFactory(username=f"u{n:02d}")
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        page = pagination.paginate(request, User.objects.order_by("username"), 3)
        list(page)
    count_sql = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"])
    assert "LIMIT 7" in count_sql and "ORDER BY" not in count_sql
