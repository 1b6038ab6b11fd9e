"""Reads of the Success Tracker: live plans paged accounts first, then the page's children."""

from __future__ import annotations

from functools import cached_property

from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import QuerySet
from django.db.models import prefetch_related_objects

from core.queries import subquery_count
from engagements.models import Account

from ..models import SuccessPlan


def tracker_plans(*, accounts: list[Account] | None = None) -> TrackerPlans:
    """Live plans (never templates) in the tracker's order, paged accounts first
    (``TrackerPlans``); ``tracker_children`` then reads the children of the page shown only.

    ``accounts`` (chosen in the filter) come from ``tracker_accounts()``, with their counts.
    """
    return TrackerPlans(accounts=accounts)


def tracker_accounts() -> QuerySet[Account]:
    """Accounts in the tracker's order, each with its number of live plans (``live_plans``).

    The tracker's account filter reads the chosen accounts through this, so their counts
    come with them and paging needs no query of its own for them.
    """
    live = SuccessPlan.objects.filter(is_template=False, account=OuterRef("pk"))
    return Account.objects.annotate(live_plans=subquery_count(live)).order_by("name", "pk")


class TrackerPlans:
    """Live plans ordered by account name, account, effective date: a sequence a paginator
    slices, read without sorting every plan.

    The order starts with the account's name, which no index of the plans holds, so
    ``ORDER BY account.name ... LIMIT 5`` joined and sorted every live plan. Here the
    accounts come first: every account with live plans and how many it has, read along
    the accounts' name index with a count on ``plan_live_account_idx`` (two integers an
    account, no plan row; none when the accounts were chosen: they carry their counts);
    the total is their sum, and a page's plans are then read from the few accounts it
    spans only.
    """

    ordered = True  # for the paginator: the order is stable

    def __init__(self, *, accounts: list[Account] | None = None):
        self.plans = SuccessPlan.objects.filter(is_template=False)
        self.chosen = accounts
        if accounts:
            self.plans = self.plans.filter(account__in=[a.pk for a in accounts])

    @cached_property
    def _counts(self) -> list[tuple[int, int]]:
        """(account id, live plans) of every account with live plans, in the tracker's order."""
        if self.chosen:
            return [(a.pk, a.live_plans) for a in self.chosen if a.live_plans]
        live = SuccessPlan.objects.filter(is_template=False, account=OuterRef("pk"))
        return list(tracker_accounts().filter(Exists(live)).values_list("pk", "live_plans"))

    def count(self) -> int:
        return sum(plans for _, plans in self._counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[SuccessPlan]:
        start, stop = window.start or 0, window.stop
        chosen, first, seen = [], 0, 0
        for account, plans in self._counts:
            if seen + plans > start:
                if not chosen:
                    first = seen  # the position of the first chosen account's first plan
                chosen.append(account)
            seen += plans
            if seen >= stop:
                break
        if not chosen:
            return []
        rows = (
            self.plans.filter(account_id__in=chosen)
            .select_related("account", "owner__user", "record_type")
            .order_by("account__name", "account_id", "effective_date", "pk")
        )
        return list(rows[start - first : stop - first])


def tracker_children(plans: list[SuccessPlan]) -> list[SuccessPlan]:
    """Prefetch the objectives, KPIs, playbooks, tasks and challenges of one page of plans."""
    from . import _plan_children  # the plan page's children, read the same way

    shown = [lookup for lookup in _plan_children() if lookup.prefetch_to != "cs_activities"]
    prefetch_related_objects(plans, *shown)
    return plans
