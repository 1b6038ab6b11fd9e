"""The Business Challenges tab's rows, read as values and printed once (as ``plan_rows`` does
for Success Plans): a page of 25 challenges read as models built four instances a row (the
challenge, its plan, the plan's account, its category) and its template ran a dozen lookups,
a filter and two ``{% url %}`` tags a row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.text import Truncator

from core.formatting import NONE
from core.links import record_url
from engagements.models import Account

from ..models import BusinessChallenge
from ..models import SuccessPlan

_FIELDS = (
    "pk",
    "name",
    "plan_id",
    "plan__name",
    "plan__account_id",
    "plan__account__name",
    "category__name",
    "notes",
)


@dataclass(frozen=True)
class ChallengeRow:
    """One business challenge as the Business Challenges tab prints it."""

    pk: int
    name: str
    url: str
    plan_name: str
    plan_url: str
    account_name: str  # empty for a template's challenge
    account_url: str
    category: str  # an em dash without one
    notes: str  # the first 90 characters, an em dash without notes
    edit_url: str
    delete_url: str


def challenge_list_rows(challenges: QuerySet[BusinessChallenge]) -> list[ChallengeRow]:
    """One page of challenges (the paginator's slice, not yet read) as rows."""
    return [_row(v) for v in challenges.values(*_FIELDS)]


def _row(v: dict) -> ChallengeRow:
    pk, account = v["pk"], v["plan__account_id"]
    return ChallengeRow(
        pk=pk,
        name=v["name"],
        url=BusinessChallenge.url_for(pk),
        plan_name=v["plan__name"],
        plan_url=SuccessPlan.url_for(v["plan_id"]),
        account_name=v["plan__account__name"] or "",
        account_url=Account.url_for(account) if account else "",
        category=v["category__name"] or NONE,
        notes=Truncator(v["notes"]).chars(90) or NONE,
        edit_url=record_url("successplans:challenge-edit", pk),
        delete_url=record_url("successplans:challenge-delete", pk),
    )
