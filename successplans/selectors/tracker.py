"""Reads of the Success Tracker: live plans paged accounts first, then the page's children."""

from __future__ import annotations

from functools import cached_property

from django.db.models import Count
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import prefetch_related_objects

from core.queries import subquery_count
from engagements.models import Account

from ..models import Objective
from ..models import Playbook
from ..models import PlaybookTask
from ..models import SuccessPlan


def tracker_plans(*, accounts: list[Account] | None = None, search: str = "") -> TrackerPlans:
    """Live plans (never templates) in the tracker's order, paged accounts first
    (``TrackerPlans``); ``tracker_children`` then reads the children of the page shown only.

    ``accounts`` (chosen in the filter) come from ``tracker_accounts()``, with their counts.
    ``search`` keeps the plans whose name, account's name or any objective's, playbook's
    or playbook task's name contains it (any case).
    """
    return TrackerPlans(accounts=accounts, search=search.strip())


def _matching(plans: QuerySet[SuccessPlan], search: str) -> QuerySet[SuccessPlan]:
    """The plans named like ``search``, or whose account or one of whose records is."""
    children = [
        model.objects.filter(plan=OuterRef("pk"), name__icontains=search)
        for model in (Objective, Playbook, PlaybookTask)
    ]
    found = Q(name__icontains=search) | Q(account__name__icontains=search)
    for child in children:
        found |= Exists(child)
    return plans.filter(found)


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

    def __init__(self, *, accounts: list[Account] | None = None, search: str = ""):
        self.plans = SuccessPlan.objects.filter(is_template=False)
        self.chosen = accounts
        self.search = search
        if accounts:
            self.plans = self.plans.filter(account__in=[a.pk for a in accounts])
        if search:
            self.plans = _matching(self.plans, search)

    @cached_property
    def _counts(self) -> list[tuple[int, int]]:
        """(account id, live plans) of every account with live plans, in the tracker's order."""
        if self.search:
            # The matching plans counted by account in one grouped query (a search narrows
            # the plans, so this reads no more rows than the page would).
            rows = (
                self.plans.order_by()
                .values("account_id", "account__name")
                .annotate(n=Count("pk"))
                .order_by("account__name", "account_id")
            )
            return [(row["account_id"], row["n"]) for row in rows]
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
