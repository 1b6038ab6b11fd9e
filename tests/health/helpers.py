"""Builders for the health tests: one measure at a time, scored accounts."""

from datetime import timedelta

from django.utils import timezone

from engagements.models import Account
from health.models import Measure
from health.scoring import Board
from health.scoring import finish
from health.scoring import points_name
from health.scoring import scored


def only(rule: str, *, weight: int = 20, target: int | None = None, name: str = "M") -> Measure:
    """Switch the default measures off and define one."""
    Measure.objects.update(active=False)
    return Measure.objects.create(name=name, rule=rule, weight=weight, target=target)


def points(account: Account, measure: Measure) -> int:
    return getattr(row(account), points_name(measure))


def row(account: Account) -> Account:
    board = Board.load()
    return finish(scored(Account.objects.filter(pk=account.pk), board, detail=True), board)[0]


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)
