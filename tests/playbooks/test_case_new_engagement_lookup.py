"""New → Engagement: one type-ahead box whose matches are radios (issue 12 item 12).

The box asks ``/search/case-engagements/?as=radios`` as the agent types (htmx); without
JavaScript, Continue with text typed and nothing chosen lists the same matches.
"""

import pytest
from django.urls import reverse

from engagements.models import Engagement
from playbooks.models import SuccessCase
from tests.factories import AccountFactory
from tests.factories import EngagementFactory

URL = reverse("playbooks:case-new")
LOOKUP = reverse("core:search", args=["case-engagements"])


def lookup(client, term: str, **extra):
    params = {"as": "radios", "name": "engagement", "id": "id_engagement", "engagement_q": term}
    return client.get(LOOKUP, {**params, **extra})


@pytest.fixture
def acme(db):
    account = AccountFactory(name="Acme Logistics")
    return EngagementFactory(account=account, name="Fleet rollout")


def test_it_finds_engagements_by_account_name(client_for, acme, engagement):
    response = lookup(client_for("agent"), "acm")
    assert response.status_code == 200
    assert f'<input type="radio" name="engagement" value="{acme.pk}"' in response.text
    assert "Acme Logistics: Fleet rollout" in response.text
    assert "Warehouse module adoption" not in response.text
    # the live region's line, swapped out of band
    assert "1 open engagement matches “acm”." in response.text
    assert 'id="id_engagement_status" hx-swap-oob="innerHTML"' in response.text


def test_it_finds_engagements_by_engagement_name(client_for, acme, engagement):
    html = lookup(client_for("agent"), "fleet").text
    assert "Acme Logistics: Fleet rollout" in html
    assert "Warehouse" not in html


def test_it_offers_only_open_engagements(client_for, acme):
    EngagementFactory(account=acme.account, name="Fleet pilot", state=Engagement.State.CLOSED)
    EngagementFactory(account=acme.account, name="Fleet trial", state=Engagement.State.CANCELED)
    html = lookup(client_for("agent"), "fleet").text
    assert "Fleet rollout" in html
    assert "Fleet pilot" not in html
    assert "Fleet trial" not in html


def test_the_chosen_engagement_stays_first_and_checked(client_for, acme, engagement):
    html = lookup(client_for("agent"), "warehouse", engagement=str(acme.pk)).text
    assert html.index("Fleet rollout") < html.index("Warehouse module adoption")
    assert f'value="{acme.pk}" id="id_engagement_0" checked' in html


def test_nonsense_text_says_nothing_matches(client_for, acme):
    html = lookup(client_for("agent"), "qqzzx").text
    assert 'type="radio"' not in html
    assert "No open engagement matches “qqzzx”." in html


def test_many_matches_show_the_first_twenty_and_say_so(client_for):
    account = AccountFactory(name="Acme Holdings")
    EngagementFactory.create_batch(25, account=account)
    html = lookup(client_for("agent"), "acme").text
    assert html.count('type="radio"') == 20
    assert "The first 20 open engagements matching “acme”; type more to narrow." in html


@pytest.mark.parametrize(
    "extra",
    [{"engagement": str(2**64)}, {"engagement": "abc"}, {"engagement": "-1"}],
    ids=["id-above-2^63", "not-a-number", "negative"],
)
def test_a_bad_chosen_id_is_ignored(client_for, acme, extra):
    response = lookup(client_for("agent"), "acme", **extra)
    assert response.status_code == 200
    assert "Acme Logistics: Fleet rollout" in response.text
    assert "checked" not in response.text


@pytest.mark.parametrize("params", [{"name": ""}, {"name": '"><b>'}, {"id": "x y"}])
def test_a_malformed_field_name_is_a_400(client_for, acme, params):
    response = lookup(client_for("agent"), "acme", **params)
    assert response.status_code == 400
    assert "<b>" not in response.text


@pytest.mark.parametrize("who", ["csm", "participant", "manager", "no_role_user"])
def test_it_requires_the_right_to_open_cases(client_for, acme, who):
    response = lookup(client_for(who), "acme")
    assert response.status_code == 403
    assert "Fleet rollout" not in response.text


def test_strangers_are_sent_to_login(client_for, acme):
    response = lookup(client_for(None), "acme")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.parametrize("size", [3, 60])
def test_the_lookup_costs_the_same_at_any_size(
    client_for, acme, size, django_assert_max_num_queries
):
    for n in range(size):
        EngagementFactory(account=AccountFactory(name=f"Acme {n:03d}"))
    client = client_for("agent")
    # session, user, two permission reads, the top bar's roles, the chosen row, the matches
    with django_assert_max_num_queries(7):
        html = lookup(client, "acme", engagement=str(acme.pk)).text
    assert html.count('type="radio"') == min(size + 1, 21)  # the chosen one, then 20 at most


# -- the New page itself ------------------------------------------------------------------
def test_the_page_has_one_box_and_no_dropdown(client_for, acme):
    html = client_for("agent").get(URL).text
    assert '<label for="id_engagement_q">Engagement</label>' in html
    assert 'role="status"' in html
    assert "<select" not in html.replace('<select name="playbook"', "")  # Playbook apart
    assert 'type="radio"' not in html  # nothing listed before anything is typed


def test_an_engagement_given_in_the_address_is_shown_chosen(client_for, acme):
    html = client_for("agent").get(URL, {"engagement": acme.pk}).text
    assert f'value="{acme.pk}" id="id_engagement_0" checked' in html


def test_without_javascript_continue_lists_the_matches_then_creates(client_for, agent, acme):
    client = client_for("agent")
    response = client.post(URL, {"number": "SCS0001001", "engagement_q": "acme"})
    assert response.status_code == 200
    assert "Choose the engagement from the matches below." in response.text
    assert f'<input type="radio" name="engagement" value="{acme.pk}"' in response.text
    assert 'value="acme"' in response.text  # the box keeps what was typed
    assert not SuccessCase.objects.exists()
    response = client.post(
        URL, {"number": "SCS0001001", "engagement_q": "acme", "engagement": acme.pk}
    )
    assert response.status_code == 302
    assert SuccessCase.objects.get().engagement == acme


def test_nonsense_text_is_explained_next_to_the_field(client_for, acme):
    response = client_for("agent").post(URL, {"number": "SCS0001001", "engagement_q": "qqzzx"})
    assert response.status_code == 200
    assert "No open engagement matches “qqzzx”: type part of its name." in response.text
    assert 'aria-invalid="true"' in response.text
    assert not SuccessCase.objects.exists()


@pytest.mark.parametrize("value", [str(2**63), str(2**64), "99999999", "abc", "1 OR 1=1", "-5"])
def test_an_id_nobody_may_choose_is_refused_next_to_the_field(client_for, acme, value):
    response = client_for("agent").post(URL, {"number": "SCS0001001", "engagement": value})
    assert response.status_code == 200
    assert "Select an open engagement from the list." in response.text
    assert not SuccessCase.objects.exists()


def test_a_closed_engagement_by_id_is_refused(client_for, acme):
    closed = EngagementFactory(account=acme.account, state=Engagement.State.CLOSED)
    response = client_for("agent").post(URL, {"number": "SCS0001001", "engagement": closed.pk})
    assert "Select an open engagement from the list." in response.text
    assert not SuccessCase.objects.exists()
