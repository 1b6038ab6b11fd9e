"""Several playbooks: New asks which one, and a case keeps the version it started with."""

from __future__ import annotations

import pytest
from django.urls import reverse

from playbooks import services
from playbooks.models import ActivityDefinition
from playbooks.models import PlaybookDefinition
from playbooks.models import PlaybookVersion
from playbooks.models import SuccessCase
from tests.factories import EngagementFactory

URL = reverse("playbooks:case-new")

ONBOARDING = """\
playbook: Onboarding play
description: The first 90 days of a new customer.
lanes:
  initiate:
    - name: Select engagement
      kind: select_engagement
    - name: Enter core information
      kind: core_information
  assist:
    - name: Run the kickoff meeting
      kind: related_meeting
    - name: Agree the onboarding plan
      kind: work_note
  review_close:
    - name: Close record
      kind: close_record
"""


@pytest.fixture
def onboarding(db) -> PlaybookDefinition:
    return services.playbook_import(text=ONBOARDING).definition


def names(case: SuccessCase) -> list[str]:
    return list(case.activities.order_by("position").values_list("name", flat=True))


def test_new_offers_the_playbooks_with_the_default_chosen(client_for, onboarding):
    PlaybookDefinition.objects.create(name="Draft play without a version")
    html = client_for("agent").get(URL).text
    assert '<label for="id_playbook">Playbook</label>' in html
    default = PlaybookDefinition.objects.get(is_default=True)
    assert f'<option value="{default.pk}" selected>Success case playbook</option>' in html
    assert f'<option value="{onboarding.pk}">Onboarding play</option>' in html
    assert "Draft play without a version" not in html


def test_continue_with_a_second_playbook_copies_its_lanes(client_for, agent, onboarding):
    engagement = EngagementFactory()
    response = client_for("agent").post(
        URL, {"engagement": engagement.pk, "playbook": onboarding.pk}
    )
    case = SuccessCase.objects.get()
    assert response.status_code == 302
    assert case.playbook_version == onboarding.versions.get()
    assert names(case) == [
        "Select engagement",
        "Enter core information",
        "Run the kickoff meeting",
        "Agree the onboarding plan",
        "Close record",
    ]
    assert [a.phase for a in case.activities.order_by("position")] == [
        "initiate",
        "initiate",
        "assist",
        "assist",
        "review_close",
    ]
    page = client_for("agent").get(case.get_absolute_url()).text
    assert '<span data-testid="playbook-name">Onboarding play</span>' in page
    assert "Run the kickoff meeting" in page and "Communicate the intended outcome" not in page


def test_a_post_without_a_playbook_takes_the_default(client_for, agent, onboarding):
    client_for("agent").post(URL, {"engagement": EngagementFactory().pk})
    case = SuccessCase.objects.get()
    assert case.playbook_version.definition.is_default
    assert names(case)[3] == "Communicate the intended outcome"


@pytest.mark.parametrize("value", ["999999", "not-a-number", "99999999999999999999999"])
def test_an_unknown_playbook_is_said_next_to_the_field(client_for, value):
    response = client_for("agent").post(
        URL, {"engagement": EngagementFactory().pk, "playbook": value}
    )
    assert response.status_code == 200
    assert "Choose one of the playbooks in the list." in response.text
    assert not SuccessCase.objects.exists()


def test_a_playbook_without_activities_is_refused_next_to_the_field(client_for):
    empty = PlaybookDefinition.objects.create(name="Empty play")
    PlaybookVersion.objects.create(definition=empty, number=1)
    response = client_for("agent").post(
        URL, {"engagement": EngagementFactory().pk, "playbook": empty.pk}
    )
    assert response.status_code == 200
    assert "The playbook has no activities" in response.text
    assert not SuccessCase.objects.exists()


@pytest.mark.parametrize("who", ["csm", "manager", "participant"])
def test_only_success_agents_open_a_case_of_any_playbook(client_for, onboarding, who):
    response = client_for(who).post(
        URL, {"engagement": EngagementFactory().pk, "playbook": onboarding.pk}
    )
    assert response.status_code == 403
    assert not SuccessCase.objects.exists()


def test_a_case_keeps_its_version_when_an_admin_edits_the_playbook(agent, onboarding):
    engagement = EngagementFactory()
    first = services.success_case_create(
        engagement=engagement, user=agent, playbook=onboarding
    ).case
    version, created = services.playbook_version_for_editing(definition=onboarding)
    assert created and version.number == 2
    version.activities.filter(name="Run the kickoff meeting").update(name="Kickoff")
    ActivityDefinition.objects.create(
        version=version, phase="assist", order=3, name="Train the admins", kind="work_note"
    )
    second = services.success_case_create(
        engagement=engagement, user=agent, playbook=onboarding
    ).case
    first.refresh_from_db()
    assert first.playbook_version.number == 1
    assert "Run the kickoff meeting" in names(first) and "Kickoff" not in names(first)
    assert second.playbook_version == version
    assert names(second)[2:5] == ["Kickoff", "Agree the onboarding plan", "Train the admins"]
    # Version 1 itself was not touched.
    assert list(
        onboarding.versions.get(number=1).activities.order_by("pk").values_list("name", flat=True)
    ) == [
        "Select engagement",
        "Enter core information",
        "Run the kickoff meeting",
        "Agree the onboarding plan",
        "Close record",
    ]


def test_a_version_no_case_uses_is_edited_in_place(onboarding):
    version, created = services.playbook_version_for_editing(definition=onboarding)
    assert not created and version.number == 1
    assert onboarding.versions.count() == 1


def test_exactly_one_playbook_is_the_default(onboarding):
    services.playbook_make_default(definition=onboarding)
    assert list(PlaybookDefinition.objects.filter(is_default=True)) == [onboarding]
    empty = PlaybookDefinition.objects.create(name="No version yet")
    with pytest.raises(services.DomainError, match="no version yet"):
        services.playbook_make_default(definition=empty)
    assert list(PlaybookDefinition.objects.filter(is_default=True)) == [onboarding]


@pytest.mark.parametrize("playbooks", [1, 8])
def test_new_costs_the_same_with_more_playbooks(
    client_for, django_assert_max_num_queries, playbooks
):
    for index in range(playbooks):
        services.playbook_import(text=ONBOARDING.replace("Onboarding play", f"Play {index}"))
    client = client_for("agent")
    client.get(URL)
    # session, user (with permissions and roles), the number, the default, the playbooks
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert response.text.count("<option") == playbooks + 1
