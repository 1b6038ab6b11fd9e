"""Who may open the Review workspace: Success Managers (and superusers), nobody else.

Every review URL answers 403 to the other roles, GET and POST alike, before
looking at the case; strangers are sent to sign in.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from playbooks.models import SuccessCase

from .conftest import complete_current

REFUSED = ["agent", "csm", "participant", "no_role_user"]


def review_urls(number: str) -> list[str]:
    return [
        reverse("playbooks:review"),
        reverse("playbooks:review-export"),
        reverse("playbooks:review-case", args=[number]),
        reverse("playbooks:review-mark", args=[number]),
    ]


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_every_role_but_success_managers(client_for, closed_case, who, method):
    client = client_for(who)
    for url in review_urls(closed_case.number):
        response = getattr(client, method)(url, {"review_note": "Looks fine."})
        assert response.status_code == 403, (who, method, url)
    closed_case.refresh_from_db()
    assert closed_case.reviewed_at is None


def test_superusers_open_it_too(client, db, closed_case):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(reverse("playbooks:review")).status_code == 200


def test_the_success_manager_group_holds_the_review_permission(manager, agent):
    assert manager.has_perm("playbooks.review_successcase")
    assert not agent.has_perm("playbooks.review_successcase")


def test_managers_still_cannot_change_a_case(client_for, agent, open_case):
    """Review adds no way around the playbook's rule: only the assignee and squad work a case."""
    client = client_for("manager")
    activity = open_case.activities.get(state="in_progress")
    posts = [
        reverse("playbooks:activity-complete", args=[open_case.number, activity.pk]),
        reverse("playbooks:case-close", args=[open_case.number]),
        reverse("playbooks:case-cancel", args=[open_case.number]),
        reverse("playbooks:meeting-new", args=[open_case.number]),
        reverse("playbooks:task-new", args=[open_case.number]),
    ]
    for url in posts:
        assert client.post(url, {"reason": "No", "short_description": "x"}).status_code == 403
    complete_current(open_case, agent)  # the agent still can
    assert SuccessCase.objects.get(pk=open_case.pk).short_description


def test_open_cases_are_not_in_review(client_for, open_case):
    url = reverse("playbooks:review-case", args=[open_case.number])
    assert client_for("manager").get(url).status_code == 404
    response = client_for("manager").post(
        reverse("playbooks:review-mark", args=[open_case.number]), {"review_note": "Early."}
    )
    assert response.status_code == 404
