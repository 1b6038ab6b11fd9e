"""Writes the pages offer, through the API: a case's journal, a plan's records (objectives,
playbooks, playbook tasks, business challenges) and the admins' accounts, engagements and
resources. Each: the allowed role's write and what it stored, a refused role (403, nothing
changed), bad input next to its field (400, nothing written), a service's refusal (409)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from engagements.models import Account
from engagements.models import Engagement
from engagements.models import Resource
from playbooks import services as case_services
from playbooks.models import JournalEntry
from playbooks.models import SuccessCase
from successplans.models import BusinessChallenge
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan
from tests.factories import AccountFactory
from tests.successplans.factories import PlaybookFactory
from tests.test_access_matrix import row_counts

from .conftest import api_client


def send(world, who: str, method: str, url: str, body=None):
    data = body if isinstance(body, str) else json.dumps(body or {})
    return api_client(world, who).generic(method, url, data, content_type="application/json")


# -- a case's journal ------------------------------------------------------------------------
def journal_url(world) -> str:
    return f"/api/v1/cases/{world['case']}/journal/"


def test_the_assignee_posts_a_customer_visible_comment(world):
    response = send(world, "agent", "POST", journal_url(world), {"kind": "comment", "text": "Hi"})

    assert response.status_code == 201, response.content
    entry = JournalEntry.objects.get(pk=response.json()["id"])
    assert (entry.kind, entry.body, entry.author) == ("comment", "Hi", world["users"]["agent"])
    assert entry.case.number == world["case"]


def test_a_post_without_kind_is_a_work_note_as_on_the_page(world):
    response = send(world, "agent", "POST", journal_url(world), {"text": "Internal only"})

    assert response.status_code == 201
    assert response.json()["kind"] == "work_note"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "comment", "text": ""}, "text"),
        ({"kind": "comment", "text": "x" * 5001}, "text"),
        ({"kind": "change", "text": "Phase"}, "kind"),
        ({"kind": "comment", "text": ["Hi"]}, "text"),
        ({"kind": "comment", "text": "Hi", "author": 1}, "author"),
    ],
)
def test_a_bad_journal_post_is_400_next_to_the_field(world, body, field):
    before = row_counts()
    response = send(world, "agent", "POST", journal_url(world), body)
    assert response.status_code == 400
    assert field in response.json()
    assert row_counts() == before


@pytest.mark.parametrize("who", ["other_agent", "csm", "participant", "manager"])
def test_only_who_works_the_case_posts_to_its_journal(world, who):
    before = row_counts()
    response = send(world, who, "POST", journal_url(world), {"kind": "comment", "text": "Hi"})
    assert response.status_code == 403
    assert row_counts() == before


def test_a_closed_case_takes_no_more_comments(world):
    case = SuccessCase.objects.get(number=world["case"])
    case_services.success_case_cancel(case_pk=case.pk, user=world["users"]["agent"], reason="Gone")
    before = row_counts()

    response = send(world, "agent", "POST", journal_url(world), {"text": "Late"})

    assert response.status_code == 409
    assert set(response.json()) == {"detail"}
    assert row_counts() == before


# -- a plan's records ----------------------------------------------------------------------------
def test_customer_success_adds_an_objective_spanning_its_plan(world):
    plan = SuccessPlan.objects.get(pk=world["plan"])
    url = f"/api/v1/plans/{plan.pk}/objectives/"

    response = send(world, "csm", "POST", url, {"name": "Weekly active users above 80%"})

    assert response.status_code == 201, response.content
    objective = Objective.objects.get(pk=response.json()["id"])
    assert (objective.plan_id, objective.name) == (plan.pk, "Weekly active users above 80%")
    assert (objective.start_date, objective.end_date) == (plan.effective_date, plan.end_date)


def test_an_objective_ending_before_it_starts_is_refused_next_to_end_date(world):
    before = row_counts()
    body = {"name": "X", "start_date": "2026-05-01", "end_date": "2026-04-01"}

    response = send(world, "csm", "POST", f"/api/v1/plans/{world['plan']}/objectives/", body)

    assert response.status_code == 400
    assert response.json() == {"end_date": ["The end date cannot be before the start date."]}
    assert row_counts() == before


def test_a_patch_changes_what_it_sends_and_keeps_the_rest(world):
    objective = Objective.objects.get(pk=world["objective"])

    response = send(
        world, "csm", "PATCH", f"/api/v1/objectives/{objective.pk}/", {"status": "on_hold"}
    )

    assert response.status_code == 200, response.content
    fresh = Objective.objects.get(pk=objective.pk)
    assert fresh.status == "on_hold"
    assert (fresh.name, fresh.start_date, fresh.end_date) == (
        objective.name,
        objective.start_date,
        objective.end_date,
    )


def test_deleting_an_objective_deletes_its_kpis(world):
    response = send(world, "csm", "DELETE", f"/api/v1/objectives/{world['objective']}/")

    assert response.status_code == 204
    assert not Objective.objects.filter(pk=world["objective"]).exists()
    assert not ObjectiveKPI.objects.filter(pk=world["kpi"]).exists()


def test_a_task_under_another_plans_playbook_is_refused(world):
    elsewhere = PlaybookFactory()
    before = row_counts()
    body = {"name": "Train the admins", "playbook": elsewhere.pk}

    response = send(world, "csm", "POST", f"/api/v1/plans/{world['plan']}/playbook-tasks/", body)

    assert response.status_code == 400
    assert response.json() == {"playbook": ["Choose a playbook of this success plan."]}
    assert row_counts() == before


def test_a_playbook_task_is_completed_and_its_playbook_renamed(world):
    task_url = f"/api/v1/playbook-tasks/{world['plan_task']}/"
    playbook_url = f"/api/v1/playbooks/{world['playbook']}/"

    assert send(world, "csm", "PATCH", task_url, {"status": "completed"}).status_code == 200
    assert send(world, "csm", "PATCH", playbook_url, {"name": "Adoption play"}).status_code == 200

    assert PlaybookTask.objects.get(pk=world["plan_task"]).status == "completed"
    assert Playbook.objects.get(pk=world["playbook"]).name == "Adoption play"


def test_a_business_challenge_stays_on_its_plan(world):
    challenge = BusinessChallenge.objects.get(pk=world["challenge"])
    other = SuccessPlan.objects.exclude(pk=challenge.plan_id).first() or challenge.plan
    before = row_counts()

    response = send(
        world, "csm", "PATCH", f"/api/v1/challenges/{challenge.pk}/", {"plan": other.pk}
    )

    assert response.status_code == 400  # not a field of the request: the plan never changes
    assert "plan" in response.json()
    assert BusinessChallenge.objects.get(pk=challenge.pk).plan_id == challenge.plan_id
    assert row_counts() == before


@pytest.mark.parametrize("who", ["agent", "participant", "manager", "no_role_user", "admin"])
@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/v1/plans/{plan}/playbooks/", {"name": "Onboarding"}),
        ("POST", "/api/v1/plans/{plan}/challenges/", {"name": "Low adoption"}),
        ("PATCH", "/api/v1/playbooks/{playbook}/", {"name": "Renamed"}),
        ("PATCH", "/api/v1/challenges/{challenge}/", {"name": "Renamed"}),
        ("DELETE", "/api/v1/playbook-tasks/{plan_task}/", None),
    ],
)
def test_roles_without_the_permission_change_no_plan_record(world, who, method, url, body):
    names = {
        "playbook": Playbook.objects.get(pk=world["playbook"]).name,
        "challenge": BusinessChallenge.objects.get(pk=world["challenge"]).name,
    }
    before = row_counts()

    response = send(world, who, method, url.format(**world), body)

    assert response.status_code == 403
    assert row_counts() == before
    assert Playbook.objects.get(pk=world["playbook"]).name == names["playbook"]
    assert BusinessChallenge.objects.get(pk=world["challenge"]).name == names["challenge"]


# -- the admins' records ---------------------------------------------------------------------------
def test_an_admin_creates_an_account_and_its_engagement(world):
    response = send(
        world, "admin", "POST", "/api/v1/accounts/", {"name": "Northwind", "tier": "smb"}
    )
    assert response.status_code == 201, response.content
    account = Account.objects.get(pk=response.json()["id"])
    assert (account.name, account.tier) == ("Northwind", "smb")

    body = {"account": account.pk, "name": "Rollout", "start_date": "2027-01-04"}
    response = send(world, "admin", "POST", "/api/v1/engagements/", body)

    assert response.status_code == 201, response.content
    engagement = Engagement.objects.get(pk=response.json()["id"])
    assert (engagement.account, engagement.state) == (account, "new")


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/accounts/", {"name": ""}, "name"),
        ("/api/v1/accounts/", {"name": "Taken"}, "name"),
        ("/api/v1/accounts/", {"name": "X", "tier": "gold"}, "tier"),
        (
            "/api/v1/engagements/",
            {"account": 999999, "name": "X", "start_date": "2027-01-04"},
            "account",
        ),
        (
            "/api/v1/engagements/",
            {
                "account": "account",
                "name": "X",
                "start_date": "2027-01-04",
                "end_date": "2026-01-01",
            },
            "end_date",
        ),
        ("/api/v1/resources/", {"user": "t-agent"}, "user"),
    ],
)
def test_bad_admin_input_is_400_next_to_the_field(world, url, body, field):
    AccountFactory(name="Taken")
    body = {
        name: world.get(value, value) if name == "account" else value
        for name, value in body.items()
    }
    before = row_counts()

    response = send(world, "admin", "POST", url, body)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert row_counts() == before


def test_an_account_in_use_is_not_deleted(world):
    before = row_counts()

    response = send(world, "admin", "DELETE", f"/api/v1/accounts/{world['account']}/")

    assert response.status_code == 409
    assert "still in use" in response.json()["detail"]
    assert row_counts() == before


def test_an_unused_account_is_deleted(world):
    account = AccountFactory()
    response = send(world, "admin", "DELETE", f"/api/v1/accounts/{account.pk}/")
    assert response.status_code == 204
    assert not Account.objects.filter(pk=account.pk).exists()


def test_a_resource_is_made_for_a_user_and_switched_off(world):
    response = send(world, "admin", "POST", "/api/v1/resources/", {"user": world["resource_user"]})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]

    response = send(world, "admin", "PATCH", f"/api/v1/resources/{pk}/", {"is_active": False})

    assert response.status_code == 200
    resource = Resource.objects.get(pk=pk)
    assert (resource.user_id, resource.is_active) == (world["resource_user"], False)


@pytest.mark.parametrize("who", ["csm", "agent", "participant", "manager", "no_role_user"])
def test_only_admins_write_accounts_even_customer_success(world, who):
    """Customer Success changes an account's facts on its page, not its name or tier."""
    account = Account.objects.get(pk=world["account"])
    before = row_counts()

    responses = [
        send(world, who, "POST", "/api/v1/accounts/", {"name": "Northwind"}),
        send(world, who, "PATCH", f"/api/v1/accounts/{account.pk}/", {"name": "Renamed"}),
        send(world, who, "DELETE", f"/api/v1/engagements/{world['engagement']}/"),
        send(world, who, "PATCH", f"/api/v1/resources/{world['resource']}/", {"title": "X"}),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert row_counts() == before
    assert Account.objects.get(pk=account.pk).name == account.name


def test_an_engagement_patch_keeps_its_other_fields(world):
    engagement = Engagement.objects.get(pk=world["engagement"])
    end = engagement.start_date + timedelta(days=30)

    response = send(
        world, "admin", "PATCH", f"/api/v1/engagements/{engagement.pk}/", {"end_date": str(end)}
    )

    assert response.status_code == 200, response.content
    fresh = Engagement.objects.get(pk=engagement.pk)
    assert (fresh.end_date, fresh.name, fresh.account_id) == (
        end,
        engagement.name,
        engagement.account_id,
    )
