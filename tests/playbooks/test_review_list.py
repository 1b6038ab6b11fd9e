"""The Review list: filters, search, sorting, pagination, bad input and its query budget."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from core import generations
from core.roles import Role
from playbooks import services
from playbooks.models import ActivityState
from playbooks.models import ClosureCode
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import UserFactory

from .conftest import _at
from .conftest import complete_current
from .conftest import make_reviewable_case

URL = reverse("playbooks:review")


def numbers(response) -> list[str]:
    return [case.number for case in response.context["page"]]


@pytest.fixture
def client(client_for):
    return client_for("manager")


def test_it_lists_closed_and_canceled_cases_most_recently_closed_first(
    client, review_set, open_case
):
    response = client.get(URL)
    assert response.status_code == 200
    assert numbers(response) == [
        "SCS0000007",
        "SCS0000005",
        "SCS0000004",
        "SCS0000003",
        "SCS0000006",
        "SCS0000002",
        "SCS0000001",
    ]
    assert open_case.number not in response.text
    assert "<h1>Review</h1>" in response.text


def test_it_shows_each_case_with_its_figures(client, review_set):
    html = client.get(URL).text
    for text in ("SCS0000003", "Outcome achieved", "30.0 hours", "Closed", "Canceled"):
        assert text in html
    row = next(case for case in client.get(URL).context["page"] if case.number == "SCS0000003")
    assert (row.meeting_count, row.task_count) == (0, 3)


def test_it_shows_the_figures_of_the_filtered_set(client, review_set):
    response = client.get(URL)
    html = response.text
    assert '<dd data-testid="figure-closed">5</dd>' in html
    assert '<dd data-testid="figure-canceled">2</dd>' in html
    assert '<dd data-testid="figure-cycle-median">20.0 hours</dd>' in html
    # PostgreSQL's PERCENTILE_CONT interpolates: 64 hours, shown in days.
    p90 = "2.7 days" if connection.vendor == "postgresql" else "40.0 hours"
    assert f'<dd data-testid="figure-cycle-p90">{p90}</dd>' in html
    assert '<dd data-testid="figure-meetings">0.4</dd>' in html  # 3 meetings / 7 cases
    assert '<dd data-testid="figure-tasks">0.6</dd>' in html  # 4 tasks / 7 cases
    assert '<td>Outcome achieved</td><td class="num">3</td><td class="num">60%</td>' in html


def test_each_chart_is_drawn_as_svg_with_its_numbers_as_text(client, review_set):
    html = client.get(URL).text
    assert html.count('<svg class="chart-svg"') == 3
    assert "<title>Mar 9: 2 Closed</title>" in html
    assert "<title>Outcome achieved: 3 (60%)</title>" in html
    assert "<title>Assist: 20.0 hours</title>" in html
    assert "<summary>Numbers</summary>" in html
    assert '<td>Mar 16, 2026</td><td class="num">0</td>' in html  # the empty week


def test_it_filters_by_closing_dates_both_included(client, review_set):
    response = client.get(URL, {"closed_from": "2026-03-09", "closed_to": "2026-03-12"})
    assert sorted(numbers(response)) == ["SCS0000002", "SCS0000003", "SCS0000006"]
    assert response.context["figures"].cases == 3


def test_it_filters_by_closure_code_state_and_review(client, review_set, manager):
    code = ClosureCode.objects.get(name="Outcome partially achieved")
    assert numbers(client.get(URL, {"closure_code": code.pk})) == ["SCS0000004"]
    assert numbers(client.get(URL, {"state": "canceled"})) == ["SCS0000007", "SCS0000006"]
    services.success_case_mark_reviewed(
        case_pk=review_set["SCS0000001"].pk, user=manager, note="Good."
    )
    assert numbers(client.get(URL, {"reviewed": "yes"})) == ["SCS0000001"]
    assert "SCS0000001" not in numbers(client.get(URL, {"reviewed": "no"}))
    assert len(numbers(client.get(URL, {"reviewed": "no"}))) == 6


def test_it_filters_by_engagement_account_agent_and_squad_member(
    client, review_set, agent, engagement
):
    other_agent = UserFactory(username="t-agent2", roles=[Role.SUCCESS_AGENT])
    other = EngagementFactory(name="Renewal", account=AccountFactory(name="Contoso"))
    theirs = make_reviewable_case(
        "SCS0000100",
        engagement=other,
        agent=other_agent,
        closed_at=_at(20),
        hours=(1, 2, 3),
        squad=[other_agent, agent],
    )
    assert numbers(client.get(URL, {"engagement": other.pk})) == [theirs.number]
    assert numbers(client.get(URL, {"account": other.account_id})) == [theirs.number]
    assert numbers(client.get(URL, {"assigned_to": other_agent.pk})) == [theirs.number]
    assert len(numbers(client.get(URL, {"assigned_to": agent.pk}))) == 7
    assert numbers(client.get(URL, {"squad": other_agent.pk})) == [theirs.number]
    assert len(numbers(client.get(URL, {"squad": agent.pk}))) == 8


def test_it_searches_number_description_notes_and_names(client, review_set):
    assert numbers(client.get(URL, {"q": "scs0000004"})) == ["SCS0000004"]
    assert len(numbers(client.get(URL, {"q": "Adoption reached"}))) == 5  # close notes
    assert len(numbers(client.get(URL, {"q": "warehouse module"}))) == 7  # engagement name


@pytest.mark.parametrize(
    ("sort", "first"),
    [("cycle_time", "SCS0000006"), ("-cycle_time", "SCS0000005"), ("number", "SCS0000001")],
)
def test_it_sorts(client, review_set, sort, first):
    assert numbers(client.get(URL, {"sort": sort}))[0] == first


def test_it_paginates_and_counts_every_match(client, agent, engagement):
    for i in range(30):
        make_reviewable_case(
            f"SCS{i:07d}", engagement=engagement, agent=agent, closed_at=_at(2 + i % 20), hours=(1,)
        )
    first = client.get(URL)
    assert len(numbers(first)) == 25
    assert "Page 1 of 2" in first.text
    assert len(numbers(client.get(URL, {"page": 2}))) == 5
    assert first.context["figures"].cases == 30


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"closed_from": "2026-03-20", "closed_to": "2026-03-01"}, "closed_to", "is before"),
        ({"closed_from": "yesterday"}, "closed_from", "Enter a valid date."),
        ({"closed_to": "2026-02-30"}, "closed_to", "Enter a valid date."),
        ({"closure_code": "999999"}, "closure_code", "Select a valid choice."),
        ({"closure_code": "best"}, "closure_code", "Select a valid choice."),
        ({"state": "open"}, "state", "Select a valid choice."),
        ({"reviewed": "maybe"}, "reviewed", "Select a valid choice."),
        ({"sort": "password"}, "sort", "Select a valid choice."),
    ],
)
def test_bad_filter_input_is_explained_next_to_the_field(
    client, review_set, params, field, message
):
    response = client.get(URL, params)
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert any(message in error for error in errors[field]), errors
    assert numbers(response) == []
    assert response.context["figures"].cases == 0
    assert "Some filters are not valid" in response.text
    if field == "sort":  # no field of its own in the filter bar: said in the notice
        assert "Sort: Select a valid choice." in response.text
    else:
        assert '<p class="field-error">' in response.text


def test_the_date_order_message_names_both_dates(client, review_set):
    response = client.get(URL, {"closed_from": "2026-03-20", "closed_to": "2026-03-01"})
    assert response.context["filter"].form.errors["closed_to"] == [
        "Closed to (Mar 1, 2026) is before Closed from (Mar 20, 2026)."
    ]


def test_htmx_gets_the_results_and_figures_only(client, review_set):
    response = client.get(URL, {"state": "closed"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert 'data-testid="figure-closed">5<' in response.text
    assert response.templates[0].name == "playbooks/partials/review_results.html"


def test_the_export_link_keeps_the_filters(client, review_set):
    html = client.get(URL, {"state": "closed", "page": "1"}).text
    assert f'href="{reverse("playbooks:review-export")}?state=closed"' in html


def _budget_run(client, django_assert_max_num_queries, *, cold: bool = True) -> int:
    generations.current("review")  # made on the first visit ever: not part of the budget
    if cold:
        cache.clear()  # the figures are computed again, as after a change
    with django_assert_max_num_queries(15) as captured:
        response = client.get(URL, {"sort": "-cycle_time"})
    assert response.status_code == 200
    return len(captured.captured_queries)


def _seed(engagement, agent, start: int, count: int) -> None:
    for i in range(start, start + count):
        make_reviewable_case(
            f"SCS{i:07d}",
            engagement=engagement,
            agent=agent,
            closed_at=_at(2 + i % 25),
            hours=(1, 2, 3) if i % 4 else (2, 3),
            meetings=i % 3,
            tasks=i % 2,
        )


def test_the_page_takes_a_fixed_number_of_queries(
    client, agent, engagement, django_assert_max_num_queries
):
    _seed(engagement, agent, 0, 3)
    few = _budget_run(client, django_assert_max_num_queries)
    _seed(engagement, agent, 3, 40)
    many = _budget_run(client, django_assert_max_num_queries)
    assert few == many


def test_the_same_filters_again_read_the_figures_from_the_cache(
    client, agent, engagement, django_assert_max_num_queries
):
    _seed(engagement, agent, 0, 30)
    first = _budget_run(client, django_assert_max_num_queries)
    again = _budget_run(client, django_assert_max_num_queries, cold=False)
    # The grouped figures and the percentiles are not read again.
    assert again == first - 2
    # Other filters, other figures: 8 of the 30 were canceled in Assist (i % 4 == 0).
    assert client.get(URL, {"state": "canceled"}).context["figures"].cases == 8
    assert client.get(URL).context["figures"].cases == 30


def test_closing_or_reviewing_a_case_shows_in_the_figures_at_once(
    client, open_case, agent, manager
):
    before = client.get(URL).context["figures"]
    assert (before.cases, before.closed, before.reviewed) == (0, 0, 0)
    while open_case.activities.filter(state=ActivityState.IN_PROGRESS).exists():
        complete_current(open_case, agent)
    services.success_case_close(case_pk=open_case.pk, user=agent)
    closed = client.get(URL).context["figures"]
    assert (closed.cases, closed.closed, closed.reviewed) == (1, 1, 0)
    services.success_case_mark_reviewed(case_pk=open_case.pk, user=manager, note="Fine.")
    assert client.get(URL).context["figures"].reviewed == 1


def test_canceling_a_case_shows_in_the_figures_at_once(client, open_case, agent):
    assert client.get(URL, {"state": "canceled"}).context["figures"].canceled == 0
    services.success_case_cancel(case_pk=open_case.pk, user=agent, reason="Customer left.")
    assert client.get(URL, {"state": "canceled"}).context["figures"].canceled == 1
