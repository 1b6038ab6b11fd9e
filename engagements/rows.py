"""My Work's "My open engagements" and "My accounts", read as values and printed once (as
``playbooks.work_rows`` does for the case panels): no model instances, no lookups in the
row loop."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from core.formatting import NONE
from core.formatting import badge_class
from core.formatting import local_day

from .models import Account
from .models import Engagement

_STAGES = dict(Engagement.Stage.choices)
_STATES = dict(Engagement.State.choices)
_TIERS = dict(Account.Tier.choices)


@dataclass(frozen=True)
class EngagementRow:
    name: str
    url: str
    account_name: str
    account_url: str
    stage: str
    state_label: str
    state_class: str
    end: str  # an em dash without an end date


@dataclass(frozen=True)
class AccountRow:
    name: str
    url: str
    tier: str
    engagement_count: int


def engagement_rows(engagements: QuerySet[Engagement]) -> list[EngagementRow]:
    """A page of engagements (the slice, not yet read)."""
    fields = ("pk", "name", "account_id", "account__name", "stage", "state", "end_date")
    return [
        EngagementRow(
            name=v["name"],
            url=Engagement.url_for(v["pk"]),
            account_name=v["account__name"],
            account_url=Account.url_for(v["account_id"]),
            stage=_STAGES.get(v["stage"], v["stage"]),
            state_label=_STATES.get(v["state"], v["state"]),
            state_class=badge_class(v["state"]),
            end=local_day(v["end_date"]) or NONE,
        )
        for v in engagements.values(*fields)
    ]


def account_rows(accounts: QuerySet[Account]) -> list[AccountRow]:
    """A page of ``selectors.account_list()`` (the slice, not yet read)."""
    return [
        AccountRow(
            name=v["name"],
            url=Account.url_for(v["pk"]),
            tier=_TIERS.get(v["tier"], v["tier"]),
            engagement_count=v["engagement_count"],
        )
        for v in accounts.values("pk", "name", "tier", "engagement_count")
    ]
