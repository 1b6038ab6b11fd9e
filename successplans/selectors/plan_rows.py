"""The Success Plans tab's rows, read as values and printed once.

A page shows 25 plans. Read as models, each row built five instances (the plan, its
account, owner, the owner's user, the record type) and its template looked up a dozen
attributes and ran five filters; most of a row's cost, and so of what the page costs more
with 25 rows than with the demo's 4 (docs/performance.md). Here a row is one ``values()``
row turned into a ``PlanRow`` whose fields are what the cells print, so the template only
reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import OuterRef
from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from core.formatting import NONE
from core.formatting import badge_class
from core.formatting import local_day
from core.formatting import person_fields
from core.formatting import person_in
from core.links import record_url
from core.queries import subquery_count
from engagements.models import Account

from ..models import BusinessChallenge
from ..models import Objective
from ..models import Playbook
from ..models import Status
from ..models import SuccessPlan

_STATUS = dict(Status.choices)
_FIELDS = (
    "pk",
    "name",
    "account_id",
    "account__name",
    *person_fields("owner__user"),
    "effective_date",
    "end_date",
    "status",
    "is_template",
)
_COUNTS = ("objective_count", "playbook_count", "challenge_count")


@dataclass(frozen=True)
class PlanRow:
    """One plan as the Success Plans tab prints it."""

    pk: int
    name: str
    url: str
    account_name: str  # empty without an account
    account_url: str
    owner: str  # the person's label, or an em dash
    effective: str
    end: str  # an em dash without an end date
    status: str  # the label ("In Progress")
    status_class: str  # its badge's CSS classes
    is_template: bool
    objective_count: int
    playbook_count: int
    challenge_count: int

    @cached_property
    def delete_url(self) -> str:
        return record_url("successplans:plan-delete", self.pk)


def child_counts() -> dict[str, Coalesce]:
    """A plan's objectives, playbooks and business challenges, counted as annotations."""
    return {
        "objective_count": subquery_count(Objective.objects.filter(plan=OuterRef("pk"))),
        "playbook_count": subquery_count(Playbook.objects.filter(plan=OuterRef("pk"))),
        "challenge_count": subquery_count(BusinessChallenge.objects.filter(plan=OuterRef("pk"))),
    }


def plan_list_rows(plans: QuerySet[SuccessPlan]) -> list[PlanRow]:
    """One page of plans (the paginator's slice, not yet read) as rows, read as values, with
    their child counts (one more query)."""
    values = list(plans.values(*_FIELDS))
    if not values:
        return []
    counts = {
        row.pop("pk"): row
        for row in SuccessPlan.objects.filter(pk__in=[v["pk"] for v in values])
        .order_by()
        .annotate(**child_counts())
        .values("pk", *_COUNTS)
    }
    no_children = dict.fromkeys(_COUNTS, 0)
    return [_row(v, counts.get(v["pk"], no_children)) for v in values]


def _row(v: dict, counts: dict) -> PlanRow:
    account = v["account_id"]
    status = _STATUS.get(v["status"], v["status"])
    return PlanRow(
        pk=v["pk"],
        name=v["name"],
        url=SuccessPlan.url_for(v["pk"]),
        account_name=v["account__name"] or "",
        account_url=Account.url_for(account) if account else "",
        owner=person_in(v, "owner__user"),
        effective=local_day(v["effective_date"]),
        end=local_day(v["end_date"]) or NONE,
        status=status,
        status_class=badge_class(status),
        is_template=v["is_template"],
        **counts,
    )
