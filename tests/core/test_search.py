"""The shared search-as-you-type field: the endpoint and the widget in a list filter."""

import re

import pytest
from django.urls import reverse

from tests.factories import AccountFactory
from tests.factories import EngagementFactory

ENGAGEMENTS = reverse("engagements:engagement-list")


def _options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select id={select_id}> in the page"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_it_finds_accounts_by_any_word(client_for):
    AccountFactory(name="Northwind Traders", industry="Retail")
    AccountFactory(name="Contoso", industry="Healthcare")
    response = client_for("agent").get(
        reverse("core:search", args=["accounts"]), {"q": "north", "empty": "Any account"}
    )
    assert response.status_code == 200
    assert re.findall(r"<option[^>]*>([^<]*)</option>", response.text) == [
        "Any account",
        "Northwind Traders",
    ]
    assert "selected>Northwind Traders" in response.text


def test_it_reads_the_box_named_after_its_field(client_for):
    AccountFactory(name="Northwind Traders")
    AccountFactory(name="Contoso")
    response = client_for("agent").get(
        reverse("core:search", args=["accounts"]), {"account_q": "contoso"}
    )
    assert re.findall(r"<option[^>]*>([^<]*)</option>", response.text) == ["Contoso"]


def test_it_says_when_nothing_matches(client_for):
    AccountFactory(name="Contoso")
    response = client_for("agent").get(reverse("core:search", args=["accounts"]), {"q": "zz"})
    assert "Nothing matches “zz”" in response.text


def test_it_returns_at_most_twenty_matches(client_for):
    AccountFactory.create_batch(30)
    response = client_for("agent").get(reverse("core:search", args=["accounts"]), {"q": "account"})
    assert response.text.count("<option") == 20


def test_it_refuses_a_user_without_the_permission(client_for):
    url = reverse("core:search", args=["accounts"])
    assert client_for("no_role_user").get(url).status_code == 403
    response = client_for(None).get(url)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_an_unknown_search_is_404(client_for):
    assert client_for("agent").get(reverse("core:search", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("accounts", [3, 60])
def test_the_filter_renders_the_choice_and_the_first_matches_only(
    client_for, django_assert_max_num_queries, accounts
):
    made = [AccountFactory(name=f"Account {n:03d}") for n in range(accounts)]
    chosen = made[-1]
    EngagementFactory(account=chosen, name="Chosen work")
    client = client_for("agent")
    with django_assert_max_num_queries(10):
        response = client.get(ENGAGEMENTS, {"account": chosen.pk})
    options = _options(response.text, "id_account")
    assert options[0] == "Any account"
    assert options[1] == chosen.name  # the chosen account first, however far down it sorts
    assert len(options) == 1 + min(accounts, 21)  # "Any", the choice, at most 20 more
    assert f'<option value="{chosen.pk}" selected>' in response.text
    assert "Chosen work" in response.text


def test_without_javascript_the_search_box_narrows_the_choices(client_for):
    AccountFactory(name="Northwind")
    AccountFactory(name="Contoso")
    response = client_for("agent").get(ENGAGEMENTS, {"account_q": "contoso"})
    assert _options(response.text, "id_account") == ["Any account", "Contoso"]
    assert 'name="account_q" value="contoso"' in response.text


def test_plans_are_found_by_plan_or_account_name_and_templates_never(client_for):
    from tests.successplans.factories import SuccessPlanFactory

    northwind = AccountFactory(name="Northwind")
    SuccessPlanFactory(name="Adoption", account=northwind)
    SuccessPlanFactory(name="Northwind template", account=None, is_template=True)
    SuccessPlanFactory(name="Renewal", account=AccountFactory(name="Contoso"))
    response = client_for("participant").get(reverse("core:search", args=["plans"]), {"q": "north"})
    assert re.findall(r"<option[^>]*>([^<]*)</option>", response.text) == ["Adoption (Northwind)"]
