import pytest
from django.urls import reverse

from engagements.models import Engagement
from playbooks import services
from playbooks.models import ActivityState
from playbooks.models import NumberSequence
from playbooks.models import SuccessCase
from tests.factories import EngagementFactory

URL = reverse("playbooks:case-new")


def test_the_number_field_shows_the_next_number(client_for, engagement):
    response = client_for("agent").get(URL)
    assert response.status_code == 200
    assert 'value="SCS0001001"' in response.text
    assert ">Continue</button>" in response.text
    assert '<label for="id_engagement_q">Engagement</label>' in response.text


def test_continue_creates_the_case_and_opens_its_playbook(client_for, agent, engagement):
    response = client_for("agent").post(URL, {"number": "SCS0001001", "engagement": engagement.pk})
    case = SuccessCase.objects.get()
    assert response.status_code == 302
    assert response.url == f"/cases/{case.number}/"
    assert case.number == "SCS0001001"
    assert case.assigned_to == agent
    assert case.opened_by == agent
    states = list(case.activities.values_list("name", "state"))
    assert states[:3] == [
        ("Select engagement", ActivityState.COMPLETE),
        ("Enter core information", ActivityState.IN_PROGRESS),
        ("Add squad", ActivityState.PENDING),
    ]
    assert len(states) == 9


def test_a_number_taken_meanwhile_is_replaced_and_said(client_for, agent, engagement):
    client = client_for("agent")
    shown = "SCS0001001"
    services.success_case_create(engagement=EngagementFactory(), user=agent)  # takes 1001
    response = client.post(URL, {"number": shown, "engagement": engagement.pk}, follow=True)
    assert "SCS0001001 was taken meanwhile; your success case is SCS0001002." in response.text
    assert SuccessCase.objects.filter(engagement=engagement).get().number == "SCS0001002"


def test_numbers_are_never_reused(client_for, agent, engagement):
    first = services.success_case_create(engagement=engagement, user=agent).case
    first.delete()
    second = services.success_case_create(engagement=engagement, user=agent).case
    assert (first.number, second.number) == ("SCS0001001", "SCS0001002")
    assert NumberSequence.objects.get(prefix="SCS").next_value == 1003


def test_a_missing_engagement_is_explained_next_to_the_field(client_for, engagement):
    response = client_for("agent").post(URL, {"number": "SCS0001001"})
    assert response.status_code == 200
    assert "Select the engagement for which the success case is being created." in response.text
    assert not SuccessCase.objects.exists()


def test_a_closed_engagement_is_refused(client_for):
    closed = EngagementFactory(state=Engagement.State.CLOSED)
    response = client_for("agent").post(URL, {"engagement": closed.pk})
    assert response.status_code == 200
    assert "Select an open engagement from the list." in response.text
    assert not SuccessCase.objects.exists()


@pytest.mark.parametrize("who", ["csm", "participant", "manager", "no_role_user"])
def test_only_success_agents_may_open_cases(client_for, engagement, who):
    client = client_for(who)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"engagement": engagement.pk}).status_code == 403
    assert not SuccessCase.objects.exists()


def test_strangers_are_sent_to_login(client_for, engagement):
    response = client_for(None).post(URL, {"engagement": engagement.pk})
    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert not SuccessCase.objects.exists()


def test_the_engagement_field_offers_open_engagements_as_you_type(client_for, engagement):
    EngagementFactory(name="Closed warehouse", state=Engagement.State.CLOSED)
    EngagementFactory.create_batch(25)
    client = client_for("agent")
    page = client.get(URL).text
    assert 'name="engagement_q"' in page
    assert "<select" not in page.replace('<select name="playbook"', "")  # Playbook apart
    url = reverse("core:search", args=["case-engagements"])
    params = {"as": "radios", "name": "engagement", "id": "id_engagement", "engagement_q": "ware"}
    html = client.get(url, params).text
    assert "Warehouse module adoption" in html
    assert "Closed warehouse" not in html


def test_query_budget(client_for, django_assert_max_num_queries):
    EngagementFactory.create_batch(30)
    client = client_for("agent")
    with django_assert_max_num_queries(9):
        assert client.get(URL).status_code == 200
