"""The Success Tracker: live success plans and their objectives, playbooks and playbook
tasks over time, grouped by account, with progress at a glance."""

from datetime import date
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from successplans.models import BusinessChallenge
from successplans.models import ObjectiveKPI
from successplans.models import Status
from successplans.views.tracker import PLANS_PER_PAGE
from tests.conftest import ROLE_FIXTURES

from .factories import AccountFactory
from .factories import BusinessChallengeFactory
from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookFactory
from .factories import PlaybookTaskFactory
from .factories import SuccessPlanFactory

URL = reverse("successplans:tracker")
DASH = "\N{EN DASH}"  # between two dates
READ_ONLY_ROLES = ["agent", "participant", "manager"]


@pytest.fixture
def northwind_plan(db):
    """A plan of Northwind in the first half of 2025, with children of every kind."""
    plan = SuccessPlanFactory(
        account=AccountFactory(name="Northwind"),
        name="Warehouse rollout",
        effective_date=date(2025, 1, 6),
        end_date=date(2025, 6, 30),
        status=Status.IN_PROGRESS,
    )
    objective = ObjectiveFactory(
        plan=plan,
        name="Pickers use scanners",
        start_date=date(2025, 1, 6),
        end_date=date(2025, 3, 30),
    )
    ObjectiveKPIFactory(objective=objective, name="Scanner use", current=90, target=80)
    ObjectiveKPIFactory(objective=objective, name="Training done", current=10, target=10)
    ObjectiveKPIFactory(
        objective=objective,
        name="Paper lists",
        current=50,
        target=100,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    playbook = PlaybookFactory(
        plan=plan, name="Train the floor", start_date=None, end_date=None
    )  # dates from the plan
    PlaybookTaskFactory(playbook=playbook, name="Book the trainer", status=Status.COMPLETED)
    PlaybookTaskFactory(playbook=playbook, name="Run sessions", status=Status.CANCELED)
    PlaybookTaskFactory(playbook=playbook, name="Check adoption", status=Status.IN_PROGRESS)
    PlaybookTaskFactory(plan=plan, name="Send the summary", status=Status.COMPLETED)
    PlaybookTaskFactory(plan=plan, name="Plan phase two", status=Status.NOT_STARTED)
    BusinessChallengeFactory(plan=plan, name="Pickers still use paper lists")
    return plan


def get(client, **query):
    return client.get(URL, {"start": "2025-01-01", **query})


# -- who may see it ----------------------------------------------------------------------------
@pytest.mark.parametrize("who", ROLE_FIXTURES)
def test_every_role_sees_the_tracker(client_for, who, northwind_plan):
    response = get(client_for(who))
    assert response.status_code == 200
    assert "<h1>Success Tracker</h1>" in response.text
    assert "Warehouse rollout" in response.text


@pytest.mark.parametrize("who", READ_ONLY_ROLES)
def test_read_only_roles_see_no_actions(client_for, who, northwind_plan):
    text = get(client_for(who)).text
    assert "Add Success Plan" not in text
    assert "Add Business Challenge" not in text
    assert reverse("successplans:challenge-new") not in text
    assert "/edit/" not in text


def test_customer_success_sees_the_actions(client_for, northwind_plan):
    text = get(client_for("csm")).text
    challenge = northwind_plan.business_challenges.get()
    back = "next=%2Ftracker%2F%3Fstart%3D2025-01-01"
    new_challenge = f"{reverse('successplans:challenge-new')}?plan={northwind_plan.pk}&amp;{back}"
    assert new_challenge in text
    assert f"{reverse('successplans:challenge-edit', args=[challenge.pk])}?{back}" in text
    assert f'href="{reverse("successplans:plan-create")}?{back}">Add Success Plan</a>' in text
    assert f'href="{reverse("successplans:plan-edit", args=[northwind_plan.pk])}?{back}"' in text


def test_it_refuses_a_user_without_role(client_for, northwind_plan):
    assert client_for("no_role_user").get(URL).status_code == 403


def test_it_sends_strangers_to_login(client_for, db):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response.url == f"/login/?next={URL}"


# -- what it shows -----------------------------------------------------------------------------
def test_it_groups_plans_by_account_with_their_children(client_for, northwind_plan):
    contoso = AccountFactory(name="Contoso")
    SuccessPlanFactory(account=contoso, name="Renewal prep", effective_date=date(2025, 2, 1))
    SuccessPlanFactory(account=contoso, name="Onboarding", effective_date=date(2025, 1, 10))
    response = get(client_for("participant"))
    groups = response.context["groups"]
    assert [
        (group["account"].name, [block.plan.name for block in group["plans"]]) for group in groups
    ] == [("Contoso", ["Onboarding", "Renewal prep"]), ("Northwind", ["Warehouse rollout"])]
    rows = [(row.kind, row.level, row.record.name) for row in groups[1]["plans"][0].rows]
    assert rows == [
        ("objective", 1, "Pickers use scanners"),
        ("playbook", 1, "Train the floor"),
        ("task", 2, "Book the trainer"),
        ("task", 2, "Check adoption"),
        ("task", 2, "Run sessions"),
        ("task", 1, "Plan phase two"),
        ("task", 1, "Send the summary"),
    ]
    text = response.text
    for name in ("Contoso", "Northwind", "Pickers use scanners", "Train the floor", "Run sessions"):
        assert name in text
    assert "Pickers still use paper lists" in text  # its business challenge
    # Every record links to its own page, and the account to the account's.
    plan = northwind_plan
    for record in (
        plan,
        plan.account,
        plan.objectives.get(),
        plan.playbooks.get(),
        *plan.playbook_tasks.all(),
        plan.business_challenges.get(),
    ):
        assert f'href="{record.get_absolute_url()}"' in text
    assert text.index("Contoso") < text.index("Northwind")


def test_it_never_shows_templates(client_for, northwind_plan):
    SuccessPlanFactory(name="Standard onboarding template", account=None, is_template=True)
    response = get(client_for("agent"))
    assert "Standard onboarding template" not in response.text
    assert "Warehouse rollout" in response.text


def test_it_shows_progress_at_a_glance(client_for, northwind_plan):
    response = get(client_for("agent"))
    block = response.context["groups"][0]["plans"][0]
    # Completed and canceled tasks are done: 3 of 5.
    assert "3/5 tasks done" in response.text
    objective_row = block.rows[0]
    assert objective_row.badges == [
        (ObjectiveKPI.Badge.COMPLETED.label, 2),
        (ObjectiveKPI.Badge.OVERDUE.label, 1),
    ]
    assert (
        '<span class="badge badge-completed">2 Completed</span> · '
        '<span class="badge badge-overdue">1 Overdue</span>'
    ) in response.text
    assert block.rows[1].progress == "2/3 tasks done"  # the playbook's own tasks


def test_each_bar_is_placed_and_labelled_in_text(client_for, northwind_plan):
    # Weeks from Monday Jan 6, 2025: 84 days; the objective fills the whole window.
    response = get(client_for("agent"), zoom="weeks", start="2025-01-06")
    text = response.text
    assert 'data-style="left: 0.00%; width: 100.00%"' in text  # static/js/app.js applies it
    assert f"Pickers use scanners · Jan 6, 2025 {DASH} Mar 30, 2025" in text
    assert f'title="Objective Pickers use scanners: Jan 6, 2025 {DASH} Mar 30, 2025"' in text
    # The playbook has no dates of its own: it shows its plan's, and says so.
    assert f"Train the floor · Jan 6, 2025 {DASH} Jun 30, 2025 (from the plan)" in text
    # Status is colour and text.
    assert '<span class="badge badge-in-progress">In Progress</span>' in text
    assert "tracker-bar status-in_progress" in text


def test_records_outside_the_window_are_listed_without_a_bar(client_for, northwind_plan):
    response = get(client_for("agent"), zoom="weeks", start="2025-09-01")
    assert (
        f"Warehouse rollout · Jan 6, 2025 {DASH} Jun 30, 2025 · outside this window"
        in response.text
    )
    assert "tracker-bar " not in response.text


def test_zoom_sets_the_window_and_its_tick_labels(client_for, northwind_plan):
    client = client_for("agent")
    labels = {
        zoom: [tick.label for tick in get(client, zoom=zoom).context["ticks"]]
        for zoom in ("weeks", "months", "quarters", "years")
    }
    assert labels["weeks"][:3] == ["Dec 30", "Jan 6", "Jan 13"] and len(labels["weeks"]) == 12
    assert labels["months"][:2] == ["Jan 2025", "Feb 2025"] and len(labels["months"]) == 12
    assert labels["quarters"] == [
        "Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026",
    ]  # fmt: skip
    assert labels["years"] == ["2025", "2026", "2027", "2028", "2029"]
    assert "Jan 2025" in get(client).text
    assert "Q1 2025" in get(client, zoom="quarters").text


def test_it_moves_the_window(client_for, northwind_plan):
    response = get(client_for("agent"), zoom="months", start="2025-03-15")
    assert response.context["window"].start == date(2025, 3, 1)
    assert f"Mar 1, 2025 {DASH} Feb 28, 2026" in response.text
    assert 'href="?zoom=months&amp;start=2024-12-01"' in response.text  # Previous
    assert 'href="?zoom=months&amp;start=2025-06-01"' in response.text  # Next
    assert 'href="?zoom=months"' in response.text  # Today


def test_without_a_start_it_shows_today(client_for, northwind_plan):
    response = client_for("agent").get(URL)
    assert response.context["zoom"] == "months"
    assert response.context["window"].contains(timezone.localdate())
    assert response.context["today_style"] is not None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"zoom": "days"},
            "“days” is not a zoom (weeks, months, quarters, years): showing months.",
        ),
        ({"start": "2025-02-30"}, "“2025-02-30” is not a date (YYYY-MM-DD)"),
        ({"start": "soon", "zoom": "<b>"}, "is not a zoom"),
    ],
)
def test_bad_zoom_or_start_shows_a_message_and_the_default(
    client_for, northwind_plan, query, message
):
    response = client_for("agent").get(URL, query)
    assert response.status_code == 200
    assert message in response.text
    assert response.context["window"].contains(timezone.localdate())
    assert "<b>" not in response.text.split("<main", 1)[1]  # escaped


def test_it_filters_by_accounts(client_for, northwind_plan):
    contoso = SuccessPlanFactory(account=AccountFactory(name="Contoso"), name="Renewal prep")
    fabrikam = SuccessPlanFactory(account=AccountFactory(name="Fabrikam"), name="Fabrikam plan")
    client = client_for("agent")

    def plans(**query):
        return [b.plan.name for g in get(client, **query).context["groups"] for b in g["plans"]]

    assert plans(account=northwind_plan.account_id) == ["Warehouse rollout"]
    assert plans(account=[contoso.account_id, fabrikam.account_id]) == [
        "Renewal prep",
        "Fabrikam plan",
    ]
    # The zoom and window links keep the chosen accounts.
    text = get(client, account=contoso.account_id).text
    assert f'href="?account={contoso.account_id}&amp;zoom=weeks&amp;start=2025-01-01"' in text


def test_a_bad_account_shows_a_message_and_every_account(client_for, northwind_plan):
    response = get(client_for("agent"), account="abc")
    assert response.status_code == 200
    assert "“abc” is not an account: showing every account." in response.text
    assert "Warehouse rollout" in response.text
    response = get(client_for("agent"), account="99999")
    assert "There is no account 99999: showing every account." in response.text


def test_htmx_gets_only_the_tracker_body(client_for, northwind_plan):
    response = client_for("agent").get(URL, {"zoom": "weeks"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.text
    assert "Warehouse rollout" in response.text
    assert response.templates[0].name == "successplans/partials/tracker_body.html"


def test_it_says_when_there_are_no_plans(client_for, db):
    assert "No success plans yet." in client_for("agent").get(URL).text


def test_a_challenge_added_from_the_tracker_returns_there(client_for, northwind_plan):
    client = client_for("csm")
    next_url = f"{URL}?zoom=weeks"
    response = client.post(
        reverse("successplans:challenge-new"),
        {"plan": northwind_plan.pk, "name": "Budget frozen", "next": next_url},
    )
    assert response.url == next_url
    assert northwind_plan.business_challenges.filter(name="Budget frozen").exists()
    assert "Budget frozen" in client.get(next_url).text
    assert BusinessChallenge.objects.count() == 2


# -- a fixed number of queries ----------------------------------------------------------------
def _plan_with_children(account):
    plan = SuccessPlanFactory(account=account)
    for _ in range(2):
        objective = ObjectiveFactory(plan=plan)
        ObjectiveKPIFactory.create_batch(2, objective=objective, current=Decimal("90"))
        playbook = PlaybookFactory(plan=plan)
        PlaybookTaskFactory(playbook=playbook, resources=[plan.owner])
        PlaybookTaskFactory(plan=plan)
        BusinessChallengeFactory(plan=plan)
    return plan


@pytest.mark.parametrize("plans", [1, 12])
def test_the_tracker_runs_a_fixed_number_of_queries(
    client_for, django_assert_max_num_queries, plans
):
    accounts = [AccountFactory(), AccountFactory()]
    for n in range(plans):
        _plan_with_children(accounts[n % 2])
    client = client_for("csm")
    client.get(URL)  # warm the session
    # session, user, 2 permission lookups, role names (menu), the chosen accounts, the
    # account field (the chosen ones, the first matches), the accounts' plan counts, the page
    # of plans, and the page's objectives, KPIs, playbooks, tasks, task resources, challenges
    with django_assert_max_num_queries(15):
        response = client.get(URL, {"account": [a.pk for a in accounts]})
    assert response.status_code == 200
    shown = min(plans, PLANS_PER_PAGE)
    assert sum(len(g["plans"]) for g in response.context["groups"]) == shown


def test_pages_follow_the_accounts_by_name_then_the_effective_date(client_for, db):
    """Five plans a page, in order across account boundaries: the accounts are paged first
    (their plan counts), then only the plans of the accounts a page spans are read."""
    made = {}
    # Created out of name order, so neither ids nor creation order give the right answer.
    for account_name, count in (("Cyan", 2), ("Amber", 3), ("Blue", 4)):
        account = AccountFactory(name=account_name)
        for day in reversed(range(count)):
            plan = SuccessPlanFactory(
                account=account, name=f"{account_name} {day}", effective_date=date(2025, 1, 1 + day)
            )
            made[plan.name] = plan
    SuccessPlanFactory(account=AccountFactory(name="Aaa templates only"), is_template=True)
    client = client_for("csm")

    def page(number: int) -> list[str]:
        response = client.get(URL, {"page": number})
        assert response.context["page"].paginator.count == 9
        return [b.plan.name for g in response.context["groups"] for b in g["plans"]]

    assert page(1) == ["Amber 0", "Amber 1", "Amber 2", "Blue 0", "Blue 1"]
    assert page(2) == ["Blue 2", "Blue 3", "Cyan 0", "Cyan 1"]
    second = client.get(URL, {"page": 2}).context["groups"]
    assert [g["account"].name for g in second] == ["Blue", "Cyan"]
