"""What the apps' models are built from (core.models): one declaration, several models."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from core.models import DATES_IN_ORDER
from core.models import check_dates
from core.models import dates_in_order
from core.models import optional_link
from engagements.models import Account
from playbooks.models import ClosureCode
from successplans.models import BusinessChallenge
from successplans.models import ChallengeCategory
from successplans.models import CSActivity
from successplans.models import Objective
from successplans.models import SuccessPlan


@pytest.mark.parametrize("model", [ClosureCode, ChallengeCategory])
def test_an_admin_kept_list_reads_in_its_order_then_by_name(db, model):
    model.objects.create(name="Zz a, later", order=900)
    model.objects.create(name="Zz c, first", order=899)
    model.objects.create(name="Zz b, first", order=899)

    names = [str(row) for row in model.objects.filter(name__startswith="Zz ")]

    assert names == ["Zz b, first", "Zz c, first", "Zz a, later"]
    assert model.objects.get(name="Zz a, later").active  # a new entry is offered


def test_an_optional_link_may_be_empty_in_the_database_and_in_forms():
    field = optional_link("engagements.Account", on_delete=models.PROTECT, related_name="+")

    assert (field.null, field.blank) == (True, True)
    assert field.remote_field.on_delete is models.PROTECT
    assert field.remote_field.related_name == "+"


def test_an_optional_link_keeps_its_other_options():
    help_text = SuccessPlan._meta.get_field("account").help_text

    assert help_text == "Required, except on templates."


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2027, 1, 10), date(2027, 1, 10)), (None, date(2027, 1, 1)), (date(2027, 1, 1), None)],
)
def test_dates_in_order_or_missing_pass(start, end):
    check_dates(Objective(start_date=start, end_date=end), "start_date", "end_date")


def test_an_end_before_its_start_is_refused_next_to_the_end():
    objective = Objective(start_date=date(2027, 1, 10), end_date=date(2027, 1, 9))

    with pytest.raises(ValidationError) as refused:
        check_dates(objective, "start_date", "end_date")

    assert refused.value.message_dict == {"end_date": [DATES_IN_ORDER]}


def test_the_database_check_says_its_own_message(db):
    constraint = dates_in_order("start_date", "end_date", "x", message="Not in order.")
    objective = Objective(start_date=date(2027, 1, 10), end_date=date(2027, 1, 9))

    with pytest.raises(ValidationError, match="Not in order"):
        constraint.validate(Objective, objective)
    constraint.validate(Objective, Objective(start_date=date(2027, 1, 9)))  # no end: in order


@pytest.mark.parametrize("model", [BusinessChallenge, CSActivity, Objective])
def test_a_plan_record_shows_its_plans_account(model):
    account = Account(name="Tailspin Toys")

    record = model(plan=SuccessPlan(account=account))

    assert record.account is account
