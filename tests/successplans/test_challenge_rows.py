"""The Business Challenges tab's rows (successplans.selectors.challenge_rows): read as values,
each cell prints what the challenge's own methods and the list's filters printed."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import truncatechars
from django.urls import reverse

from successplans import selectors
from successplans.selectors.challenge_rows import challenge_list_rows
from tests.successplans.factories import BusinessChallengeFactory
from tests.successplans.factories import SuccessPlanFactory

pytestmark = pytest.mark.django_db


def test_each_row_prints_what_its_challenge_prints():
    SuccessPlanFactory.create_batch(3)  # plan ids other than the challenges' ids
    template = SuccessPlanFactory(is_template=True, account=None, name="Onboarding")
    BusinessChallengeFactory(plan=template, name="A template's", category=None)
    BusinessChallengeFactory(name="B long notes", notes="Slow rollout. " * 20)
    BusinessChallengeFactory(name="C <short> notes", notes="Only <b>one</b> site live")

    rows = challenge_list_rows(selectors.challenge_list())

    challenges = list(selectors.challenge_list())
    assert [row.name for row in rows] == [c.name for c in challenges]
    for row, challenge in zip(rows, challenges, strict=True):
        plan, account = challenge.plan, challenge.plan.account
        assert (row.pk, row.url) == (challenge.pk, challenge.get_absolute_url())
        assert (row.plan_name, row.plan_url) == (plan.name, plan.get_absolute_url())
        assert (row.account_name, row.account_url) == (
            (account.name, account.get_absolute_url()) if account else ("", "")
        )
        assert row.category == (challenge.category.name if challenge.category else "—")
        assert row.notes == (truncatechars(challenge.notes, 90) or "—")
        assert row.edit_url == reverse("successplans:challenge-edit", args=[challenge.pk])
        assert row.delete_url == reverse("successplans:challenge-delete", args=[challenge.pk])
    assert rows[0].account_url == "" and rows[0].category == "—" and rows[0].notes == "—"
    assert rows[1].notes.endswith("…") and len(rows[1].notes) == 90
