"""The account timeline: one stream of everything that happened with a customer.

It lives in ``health`` because that is the lowest layer that sees every source: the cases'
journal (comments, work notes, changes), plans, KPI values and the changes of objectives,
playbooks and playbook tasks (``PlanRecordChange``), CS activities, business
challenges (``successplans``), the account's own changes, contacts and logged activities
(``engagements``) and health (manual values, overrides, snapshot moves).

Newest first, by (moment, source, id). Keyset pagination: a page is read as the first
``size + 1`` rows of each source after the cursor, merged; the cursor is the last shown
entry's key. So a page costs one query per source, however long the history is.
Records that carry a day and no moment (CS activities, logged activities, snapshots) are
placed at the start of their day (below what was done that day).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.db.models import Q
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.formatting import person
from engagements.models import Account
from engagements.models import AccountActivity
from engagements.models import AccountChange
from playbooks.models import JournalEntry
from successplans.models import BusinessChallenge
from successplans.models import CSActivity
from successplans.models import KPIValue
from successplans.models import SuccessPlan

from .models import ManualValue
from .models import Override
from .models import PlanRecordChange
from .models import Snapshot

PAGE = 20

#: The filter's kinds, in the order the filter lists them.
KINDS = {
    "case": "Success cases",
    "plan": "Plans and KPIs",
    "activity": "Activities",
    "challenge": "Business challenges",
    "health": "Health",
    "account": "Account and contacts",
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    rank: int  # the source's place in SOURCES: breaks ties between sources
    pk: int
    kind: str
    title: str
    text: str
    who: str
    url: str
    customer_visible: bool = False

    @property
    def key(self) -> str:
        return f"{self.at.isoformat()}~{self.rank}~{self.pk}"


@dataclass(frozen=True)
class Cursor:
    at: datetime
    rank: int
    pk: int

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """The cursor in ``?before=``; None (the first page) when it is missing or malformed."""
        try:
            at, rank, pk = (text or "").split("~")
            moment = parse_datetime(at)
            return cls(moment, int(rank), int(pk)) if moment and moment.tzinfo else None
        except ValueError:
            return None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Source:
    kind: str
    rows: Callable[[Account], QuerySet]
    moment: str  # the field that orders it
    entry: Callable[[object], tuple[str, str, str, str, bool]]  # title, text, who, url, visible
    by_day: bool = False

    def after(self, rank: int, cursor: Cursor | None) -> Q:
        if cursor is None:
            return Q()
        field = self.moment
        if not self.by_day:
            older = Q(**{f"{field}__lt": cursor.at})
            if rank < cursor.rank:
                return older | Q(**{field: cursor.at})
            if rank == cursor.rank:
                return older | Q(**{field: cursor.at, "pk__lt": cursor.pk})
            return older
        day = timezone.localtime(cursor.at).date()
        if cursor.at > _start_of(day):  # later that day: the whole day is older
            return Q(**{f"{field}__lte": day})
        older = Q(**{f"{field}__lt": day})
        if rank > cursor.rank:
            return older
        if rank < cursor.rank:
            return older | Q(**{field: day})
        return older | Q(**{field: day, "pk__lt": cursor.pk})

    def within(self, start: date | None, end: date | None) -> Q:
        field, q = self.moment, Q()
        if self.by_day:
            if start:
                q &= Q(**{f"{field}__gte": start})
            if end:
                q &= Q(**{f"{field}__lte": end})
            return q
        if start:
            q &= Q(**{f"{field}__gte": timezone.make_aware(datetime.combine(start, time.min))})
        if end:
            after = end + timedelta(days=1)
            q &= Q(**{f"{field}__lt": timezone.make_aware(datetime.combine(after, time.min))})
        return q

    def moment_of(self, row) -> datetime:
        value = getattr(row, self.moment)
        return _start_of(value) if self.by_day else value


def _case_url(entry: JournalEntry) -> str:
    return entry.case.get_absolute_url()


def _journal(entry: JournalEntry):
    case = entry.case.number
    if entry.kind == JournalEntry.Kind.CHANGE:
        text = f"{entry.field}: {entry.old_value or '—'} → {entry.new_value or '—'}"
        return f"{case}: change", text, person(entry.author), _case_url(entry), False
    visible = entry.kind == JournalEntry.Kind.COMMENT
    title = f"{case}: {entry.get_kind_display().lower()}"
    return title, entry.body, person(entry.author), _case_url(entry), visible


def _plan(plan: SuccessPlan):
    owner = str(plan.owner) if plan.owner_id else ""  # a Resource
    return "Success plan created", plan.name, owner, plan.get_absolute_url(), False


def _kpi_value(value: KPIValue):
    kpi = value.kpi
    text = f"{kpi.name}: {value.value if value.value is not None else '—'} {kpi.unit}".strip()
    url = kpi.objective.get_absolute_url()
    return "KPI value recorded", text, person(value.recorded_by), url, kpi.external


def _record_change(change: PlanRecordChange):
    """ "Objective edited", "Playbook task deleted", "Playbook task Completed" (its status)."""
    title = f"{change.get_record_display()} {change.change}"
    plan = change.plan
    return (
        title,
        f"{change.name} ({plan.name})",
        person(change.actor),
        plan.get_absolute_url(),
        False,
    )


def _cs_activity(activity: CSActivity):
    title = f"CS activity: {activity.get_type_display().lower()}"
    text = activity.subject + (f" — {activity.notes}" if activity.notes else "")
    return title, text, person(activity.who), activity.plan.get_absolute_url(), False


def _logged(activity: AccountActivity):
    url = reverse("engagements:account-detail", args=[activity.account_id]) + "#timeline"
    return activity.get_kind_display(), activity.text, person(activity.author), url, False


def _challenge(challenge: BusinessChallenge):
    url = challenge.get_absolute_url()
    return "Business challenge", challenge.name, "", url, False


def _account_url(row) -> str:
    return reverse("engagements:account-detail", args=[row.account_id])


def _snapshot(snap: Snapshot):
    sign = "+" if (snap.change or 0) > 0 else ""
    text = f"Score {snap.score} ({sign}{snap.change}), {snap.get_colour_display().lower()}"
    return "Health score moved", text, "", _account_url(snap) + "#health", False


def _manual(value: ManualValue):
    title = f"{value.measure.name} set {value.get_value_display().lower()}"
    return title, value.note, person(value.set_by), _account_url(value) + "#health", False


def _override(override: Override):
    text = f"{override.score} until {override.expires_on:%b %-d, %Y}: {override.reason}"
    return "Health score overridden", text, person(override.set_by), _account_url(override), False


def _change(change: AccountChange):
    text = f"{change.old_value or '—'} → {change.new_value or '—'}"
    return change.field, text, person(change.actor), _account_url(change), False


SOURCES = [
    Source(
        "case",
        lambda a: JournalEntry.objects.filter(case__engagement__account=a).select_related(
            "case", "author"
        ),
        "created_at",
        _journal,
    ),
    Source(
        "plan",
        lambda a: SuccessPlan.objects.filter(account=a, is_template=False).select_related(
            "owner__user"
        ),
        "created_at",
        _plan,
    ),
    Source(
        "plan",
        lambda a: KPIValue.objects.filter(kpi__objective__plan__account=a).select_related(
            "kpi__objective", "recorded_by"
        ),
        "recorded_at",
        _kpi_value,
    ),
    Source(
        "plan",
        lambda a: PlanRecordChange.objects.filter(plan__account=a).select_related("plan", "actor"),
        "at",
        _record_change,
    ),
    Source(
        "activity",
        lambda a: CSActivity.objects.filter(plan__account=a).select_related("plan", "who"),
        "date",
        _cs_activity,
        by_day=True,
    ),
    Source(
        "activity",
        lambda a: AccountActivity.objects.filter(account=a).select_related("author"),
        "date",
        _logged,
        by_day=True,
    ),
    Source(
        "challenge",
        lambda a: BusinessChallenge.objects.filter(plan__account=a),
        "created_at",
        _challenge,
    ),
    Source(
        "health",
        lambda a: Snapshot.objects.filter(account=a).exclude(change=0).exclude(change=None),
        "day",
        _snapshot,
        by_day=True,
    ),
    Source(
        "health",
        lambda a: ManualValue.objects.filter(account=a).select_related("measure", "set_by"),
        "set_at",
        _manual,
    ),
    Source(
        "health",
        lambda a: Override.objects.filter(account=a).select_related("set_by"),
        "set_at",
        _override,
    ),
    Source(
        "account",
        lambda a: AccountChange.objects.filter(account=a).select_related("actor"),
        "at",
        _change,
    ),
]


@dataclass
class Page:
    entries: list[Entry]
    next_cursor: str | None


def timeline(
    account: Account,
    *,
    kinds: Iterable[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    cursor: Cursor | None = None,
    size: int = PAGE,
) -> Page:
    """One page of ``account``'s timeline, newest first (one query per source asked for)."""
    wanted = set(kinds or KINDS)
    found: list[Entry] = []
    for rank, source in enumerate(SOURCES):
        if source.kind not in wanted:
            continue
        rows = (
            source.rows(account)
            .filter(source.after(rank, cursor), source.within(start, end))
            .order_by(f"-{source.moment}", "-pk")[: size + 1]
        )
        for row in rows:
            title, text, who, url, visible = source.entry(row)
            found.append(
                Entry(
                    source.moment_of(row), rank, row.pk, source.kind, title, text, who, url, visible
                )
            )
    found.sort(key=lambda e: (e.at, e.rank, e.pk), reverse=True)
    entries = found[:size]
    more = len(found) > size
    return Page(entries, entries[-1].key if more and entries else None)
