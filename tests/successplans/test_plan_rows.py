"""The Success Plans tab's rows (successplans.selectors.plan_rows): read as values, they print
what the plan's own methods and Django's filters print."""

from datetime import date

from django.template.defaultfilters import date as django_date
from django.utils import translation

from core.formatting import person
from successplans.models import Status
from successplans.models import SuccessPlan
from successplans.selectors.plan_rows import plan_list_rows
from tests.factories import ResourceFactory
from tests.factories import UserFactory

from .factories import BusinessChallengeFactory
from .factories import ObjectiveFactory
from .factories import PlaybookFactory
from .factories import SuccessPlanFactory


def _rows() -> list:
    return plan_list_rows(SuccessPlan.objects.order_by("name"))


def test_a_row_prints_what_the_plan_prints(db):
    owner = ResourceFactory(user=UserFactory(first_name="Ana", last_name="Lima"))
    plan = SuccessPlanFactory(
        name="A plan",
        owner=owner,
        effective_date=date(2026, 3, 9),
        end_date=date(2026, 12, 31),
        status=Status.ON_HOLD,
    )
    ObjectiveFactory(plan=plan)
    ObjectiveFactory(plan=plan)
    PlaybookFactory(plan=plan)
    BusinessChallengeFactory(plan=plan)

    [row] = _rows()

    assert row.pk == plan.pk
    assert row.url == plan.get_absolute_url()
    assert (row.account_name, row.account_url) == (
        plan.account.name,
        plan.account.get_absolute_url(),
    )
    assert row.owner == str(plan.owner) == "Ana Lima"
    assert row.effective == django_date(plan.effective_date, "M j, Y") == "Mar 9, 2026"
    assert row.end == "Dec 31, 2026"
    assert (row.status, row.status_class) == ("On Hold", "badge badge-on-hold")
    assert (row.objective_count, row.playbook_count, row.challenge_count) == (2, 1, 1)
    assert row.delete_url == f"/plans/{plan.pk}/delete/"
    assert row.is_template is False


def test_a_row_without_account_owner_or_end_prints_dashes(db):
    SuccessPlanFactory(account=None, owner=None, end_date=None, is_template=True)

    [row] = _rows()

    assert (row.account_name, row.account_url) == ("", "")
    assert row.owner == "—"
    assert row.end == "—"
    assert row.is_template is True
    assert (row.objective_count, row.playbook_count, row.challenge_count) == (0, 0, 0)


def test_two_people_of_one_name_are_told_apart_by_username(db):
    for username in ("sam1", "sam2"):
        user = UserFactory(username=username, first_name="Sam", last_name="Rivera")
        SuccessPlanFactory(name=f"Plan of {username}", owner=ResourceFactory(user=user))

    rows = _rows()

    assert [row.owner for row in rows] == ["Sam Rivera (sam1)", "Sam Rivera (sam2)"]
    assert [row.owner for row in rows] == [
        person(p.owner.user) for p in SuccessPlan.objects.order_by("name")
    ]


def test_the_dates_follow_the_language(db):
    SuccessPlanFactory(effective_date=date(2026, 5, 4))
    with translation.override("de"):
        [row] = _rows()
        assert row.effective == django_date(date(2026, 5, 4), "M j, Y")


def test_no_plans_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert plan_list_rows(SuccessPlan.objects.none()) == []
