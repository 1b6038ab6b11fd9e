"""The template picker (/plans/templates/): Select a template, as Cards or Lists, with Reload."""

import pytest
from django.urls import reverse

from successplans.models import SuccessPlan
from successplans.models import TemplatePickerPreference
from tests.factories import AccountFactory

from .factories import SuccessPlanFactory
from .factories_templates import TemplateFactory
from .factories_templates import build_template

URL = reverse("successplans:template-picker")


def create_url(template) -> str:
    return reverse("successplans:template-create", args=[template.pk])


@pytest.fixture
def templates(db):
    onboarding = build_template(
        name="Onboarding — 90 days", objectives=2, kpis=3, playbooks=1, tasks=4, loose_tasks=1
    )
    renewal = TemplateFactory(name="Renewal readiness", description="Get ready to renew.")
    return onboarding, renewal


# -- who ----------------------------------------------------------------------------------------
def test_customer_success_sees_the_templates(client_for, templates):
    response = client_for("csm").get(URL)
    assert response.status_code == 200
    assert "<h1>Select a template</h1>" in response.text
    assert [t.name for t in response.context["templates"]] == [
        "Onboarding — 90 days",
        "Renewal readiness",
    ]


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_open_the_picker(client_for, who, templates):
    assert client_for(who).get(URL).status_code == 403


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_switch_the_view(client_for, who, templates):
    assert client_for(who).post(URL, {"view": "lists"}).status_code == 403
    assert not TemplatePickerPreference.objects.exists()


def test_it_refuses_a_user_without_role(client_for, templates):
    assert client_for("no_role_user").get(URL).status_code == 403
    assert client_for("no_role_user").post(URL, {"view": "lists"}).status_code == 403
    assert not TemplatePickerPreference.objects.exists()


def test_it_sends_strangers_to_login(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response.url == f"/login/?next={URL}"


# -- what it lists ------------------------------------------------------------------------------
def test_it_lists_only_templates(client_for, templates):
    SuccessPlanFactory(name="Live plan of Northwind")
    response = client_for("csm").get(URL)
    assert "Live plan of Northwind" not in response.text
    assert {t.name for t in response.context["templates"]} == {
        "Onboarding — 90 days",
        "Renewal readiness",
    }


def test_each_template_shows_its_child_counts_and_select(client_for, templates):
    onboarding, renewal = templates
    response = client_for("csm").get(URL)
    shown = {t.name: t for t in response.context["templates"]}
    counts = shown["Onboarding — 90 days"]
    assert (counts.n_objectives, counts.n_kpis, counts.n_playbooks, counts.n_tasks) == (2, 6, 1, 5)
    empty = shown["Renewal readiness"]
    assert (empty.n_objectives, empty.n_kpis, empty.n_playbooks, empty.n_tasks) == (0, 0, 0, 0)
    assert f'href="{create_url(onboarding)}"' in response.text
    assert f'href="{create_url(renewal)}"' in response.text
    assert "2 (6 objective KPIs)" in response.text
    # A template's name selects it too: the picker never leaves the creation flow.
    assert f'<a href="{create_url(onboarding)}">Onboarding — 90 days</a>' in response.text
    assert f'href="{onboarding.get_absolute_url()}"' not in response.text


def test_select_keeps_the_account_and_next(client_for, templates):
    onboarding, _ = templates
    account = AccountFactory()
    response = client_for("csm").get(URL, {"account": account.pk, "next": "/tracker/"})
    assert f'href="{create_url(onboarding)}?account={account.pk}&amp;next=%2Ftracker%2F"' in (
        response.text
    )
    blank = reverse("successplans:plan-new")
    assert f'href="{blank}?account={account.pk}&amp;next=%2Ftracker%2F"' in response.text


def test_a_foreign_next_is_not_carried(client_for, templates):
    onboarding, _ = templates
    response = client_for("csm").get(URL, {"next": "https://evil.example/"})
    assert f'href="{create_url(onboarding)}"' in response.text
    assert "evil.example" not in response.text


def test_without_templates_it_says_so_and_offers_the_blank_plan(client_for, db):
    SuccessPlanFactory()
    response = client_for("csm").get(URL)
    assert "There are no templates yet." in response.text
    assert f'<a class="button primary" href="{reverse("successplans:plan-new")}">' in response.text


# -- Cards and Lists, remembered per user -------------------------------------------------------
def test_the_first_visit_shows_cards(client_for, templates):
    response = client_for("csm").get(URL)
    assert response.context["view"] == "cards"
    assert 'data-view="cards"' in response.text
    assert 'aria-pressed="true" class="primary">Cards</button>' in response.text


def test_choosing_lists_is_remembered_on_the_next_visit(client_for, csm, templates):
    client = client_for("csm")
    response = client.post(f"{URL}?account=7", {"view": "lists"})
    assert response.status_code == 302
    assert response.url == f"{URL}?account=7"
    assert TemplatePickerPreference.objects.get(user=csm).view == "lists"

    again = client.get(URL)
    assert again.context["view"] == "lists"
    assert 'data-view="lists"' in again.text
    assert 'data-view="cards"' not in again.text
    assert 'aria-pressed="true" class="primary">Lists</button>' in again.text

    client.post(URL, {"view": "cards"})
    assert TemplatePickerPreference.objects.get(user=csm).view == "cards"
    assert client.get(URL).context["view"] == "cards"


def test_each_user_keeps_their_own_view(client_for, csm, templates):
    from core.roles import Role
    from tests.factories import UserFactory

    other = UserFactory(username="t-csm-2", roles=[Role.CUSTOMER_SUCCESS])
    client_for("csm").post(URL, {"view": "lists"})
    other_client = client_for(None)
    other_client.force_login(other)

    assert other_client.get(URL).context["view"] == "cards"
    other_client.post(URL, {"view": "cards"})
    assert client_for("csm").get(URL).context["view"] == "lists"
    assert dict(TemplatePickerPreference.objects.values_list("user__username", "view")) == {
        "t-csm": "lists",
        "t-csm-2": "cards",
    }


def test_switching_with_htmx_answers_the_fragment(client_for, csm, templates):
    response = client_for("csm").post(URL, {"view": "lists"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<h1>" not in response.text
    assert 'data-view="lists"' in response.text
    assert TemplatePickerPreference.objects.get(user=csm).view == "lists"


def test_an_unknown_view_changes_nothing(client_for, csm, templates):
    client_for("csm").post(URL, {"view": "lists"})
    client_for("csm").post(URL, {"view": "tiles"})
    assert TemplatePickerPreference.objects.get(user=csm).view == "lists"


# -- Reload -------------------------------------------------------------------------------------
def test_reload_reads_the_templates_again(client_for, templates):
    client = client_for("csm")
    page = client.get(URL)
    assert f'hx-get="{URL}"' in page.text  # Reload, with a plain link as fallback
    assert f'<a class="button" href="{URL}"' in page.text
    TemplateFactory(name="Expansion play")
    SuccessPlan.objects.filter(name="Renewal readiness").delete()

    fragment = client.get(URL, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<h1>" not in fragment.text
    assert "Expansion play" in fragment.text
    assert "Renewal readiness" not in fragment.text


# -- queries ------------------------------------------------------------------------------------
@pytest.mark.parametrize("view", ["cards", "lists"])
@pytest.mark.parametrize("size", [1, 15])
def test_the_picker_reads_a_fixed_number_of_queries(
    client_for, csm, django_assert_max_num_queries, view, size
):
    TemplatePickerPreference.objects.create(user=csm, view=view)
    for _ in range(size):
        build_template(objectives=2, kpis=2, playbooks=2, tasks=2, loose_tasks=1)
    client = client_for("csm")
    with django_assert_max_num_queries(7):
        response = client.get(URL)
    assert len(response.context["templates"]) == size
