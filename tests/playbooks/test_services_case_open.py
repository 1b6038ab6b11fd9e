"""playbooks.services: New → Continue, a case opened from an engagement.

The seed's Select engagement: numbering, the playbook copied, who may open a case.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from engagements.models import Engagement
from playbooks import services
from playbooks.defaults import SEED_PLAYBOOK
from playbooks.models import ActivityDefinition
from playbooks.models import ActivityState
from playbooks.models import Phase
from playbooks.models import SuccessCase
from playbooks.services import DomainError
from tests.factories import EngagementFactory
from tests.factories import SuccessCaseFactory
from tests.playbooks.casework import PLAYBOOK
from tests.playbooks.casework import changes
from tests.playbooks.casework import states

# -- New → Continue ------------------------------------------------------------------------


def test_it_numbers_cases_scs0001001_then_scs0001002_and_never_reuses_a_number(agent):
    first = SuccessCaseFactory(user=agent)
    second = SuccessCaseFactory(user=agent)
    assert (first.number, second.number) == ("SCS0001001", "SCS0001002")
    # Even when the latest case is gone, its number is not handed out again.
    second.delete()
    assert SuccessCaseFactory(user=agent).number == "SCS0001003"
    assert services.number_peek("SCS") == "SCS0001004"


def test_it_assigns_the_creator_and_starts_in_initiate(agent, case):
    assert case.assigned_to == agent
    assert case.opened_by == agent
    assert case.opened_at is not None and case.closed_at is None
    assert case.phase == Phase.INITIATE
    assert (case.state_label, case.progress_label) == ("Open", "In progress")
    assert changes(case, "State") == [("—", "Open")]
    assert changes(case, "Phase") == [("—", "Initiate")]


def test_it_copies_the_playbook_in_order_with_select_engagement_complete(agent, case):
    activities = list(case.activities.order_by("position"))
    assert [a.name for a in activities] == PLAYBOOK
    assert [a.position for a in activities] == list(range(1, len(PLAYBOOK) + 1))
    assert [a.phase for a in activities] == [p for p, *_ in SEED_PLAYBOOK]
    assert states(case) == {
        "Select engagement": ActivityState.COMPLETE,
        "Enter core information": ActivityState.IN_PROGRESS,
        **{name: ActivityState.PENDING for name in PLAYBOOK[2:]},
    }
    select = activities[0]
    assert select.completed_by == agent and select.completed_at is not None
    assert select.action_label == "Continue"
    assert activities[1].action_label == "Mark Complete"
    assert changes(case, "Activity: Select engagement") == [("Pending", "Complete")]
    assert changes(case, "Activity: Enter core information") == [("Pending", "In progress")]


def test_it_copies_the_playbook_as_the_admin_left_it(agent):
    ActivityDefinition.objects.filter(name="Related meeting").update(active=False)
    ActivityDefinition.objects.create(
        version=services.playbook_version_current(),
        phase=Phase.INITIATE,
        order=4,
        name="Confirm the sponsor",
        kind="comment",
    )
    case = SuccessCaseFactory(user=agent)
    names = list(case.activities.order_by("position").values_list("name", flat=True))
    assert names[:4] == [*PLAYBOOK[:3], "Confirm the sponsor"]
    assert "Related meeting" not in names
    # Later edits of the definition do not rewrite the case's copy.
    ActivityDefinition.objects.filter(name="Add squad").update(name="Pick the squad")
    assert case.activities.filter(name="Add squad").exists()


def test_it_refuses_an_empty_playbook(agent):
    ActivityDefinition.objects.update(active=False)
    with pytest.raises(DomainError, match="no activities"):
        SuccessCaseFactory(user=agent)
    assert not SuccessCase.objects.exists()


def test_number_replaced_says_when_the_shown_number_was_taken(agent, agent2):
    engagement = EngagementFactory()
    shown = services.number_peek(services.CASE_PREFIX)
    assert shown == "SCS0001001"
    # Someone else presses Continue first.
    services.success_case_create(engagement=engagement, user=agent2)
    created = services.success_case_create(engagement=engagement, user=agent, shown_number=shown)
    assert created.number_replaced is True
    assert created.case.number == "SCS0001002"
    shown = services.number_peek(services.CASE_PREFIX)
    created = services.success_case_create(engagement=engagement, user=agent, shown_number=shown)
    assert created.number_replaced is False
    assert created.case.number == shown == "SCS0001003"


@pytest.mark.parametrize("state", [Engagement.State.CLOSED, Engagement.State.CANCELED])
def test_it_refuses_a_closed_engagement_and_takes_no_number(agent, state):
    engagement = EngagementFactory(state=state)
    with pytest.raises(DomainError, match="choose an open one"):
        services.success_case_create(engagement=engagement, user=agent)
    assert not SuccessCase.objects.exists()
    assert services.number_peek(services.CASE_PREFIX) == "SCS0001001"


@pytest.mark.parametrize("who", ["csm", "participant", "manager", "no_role_user"])
def test_only_success_agents_open_cases(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.success_case_create(engagement=EngagementFactory(), user=user)
    assert not SuccessCase.objects.exists()
