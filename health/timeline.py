"""The account timeline: one stream of everything that happened with a customer.

It lives in ``health`` because that is the lowest layer that sees every source: the cases'
journal (comments, work notes, changes), plans, KPI values and the changes of objectives,
playbooks and playbook tasks (``PlanRecordChange``), CS activities, business
challenges (``successplans``), the account's own changes, contacts and logged activities
(``engagements``) and health (manual values, overrides, snapshot moves).

Newest first, by (moment, source, id). Keyset pagination: a page is read as the first
``size + 1`` rows of each source after the cursor, merged; the cursor is the last shown
entry's key. The sources are read in one query: a UNION ALL with a part per source, each
taking its first ``size + 1`` rows in an ``IN`` subquery (ordered and limited there, which a
part of a compound statement may not be on SQLite) and selecting what its entries show
under the column names all parts share (``COLUMNS``; NULL where a source has nothing). So a
page costs one query, however long the history is and however many sources it shows.
Records that carry a day and no moment (CS activities, logged activities, snapshots) are
placed at the start of their day (below what was done that day).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.db import models
from django.db.models import F
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.formatting import person
from core.formatting import person_label
from engagements.models import Account
from engagements.models import AccountActivity
from engagements.models import AccountChange
from playbooks.models import JournalEntry
from successplans.models import BusinessChallenge
from successplans.models import CSActivity
from successplans.models import KPIValue
from successplans.models import Objective
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


#: What the parts of the UNION select, with its type (a source's part selects NULL of that
#: type where it has nothing): the moment (``at``, or ``day`` for sources by day), then the
#: words, figures and links the entries are made of, and the person who did it.
COLUMNS: dict[str, models.Field] = {
    "at": models.DateTimeField(),
    "day": models.DateField(),
    "number": models.TextField(),
    "kind": models.TextField(),  # the row's choice: journal kind, record, type, colour…
    "field": models.TextField(),
    "old": models.TextField(),
    "new": models.TextField(),
    "name": models.TextField(),
    "text": models.TextField(),
    "unit": models.TextField(),
    "plan_name": models.TextField(),
    "change": models.TextField(),
    "amount": models.DecimalField(max_digits=14, decimal_places=2),
    "score": models.IntegerField(),
    "delta": models.IntegerField(),
    "on": models.DateField(),
    "ref": models.BigIntegerField(),  # the id of the page the entry links to
    "flag": models.BooleanField(),  # customer-visible (a KPI's ``external``)
    "who_first": models.TextField(),
    "who_last": models.TextField(),
    "who_user": models.TextField(),
}


def _by(user: str) -> dict[str, F]:
    """The columns of the person at ``user`` (a path to a user)."""
    return {
        "who_first": F(f"{user}__first_name"),
        "who_last": F(f"{user}__last_name"),
        "who_user": F(f"{user}__username"),
    }


@dataclass(frozen=True)
class Source:
    kind: str
    rows: Callable[[Account], QuerySet]
    moment: str  # the field that orders it
    entry: Callable[
        [SimpleNamespace], tuple[str, str, str, str, bool]
    ]  # title, text, who, url, visible
    columns: dict = field(default_factory=dict)  # COLUMNS' name -> expression
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

    def moment_of(self, row: SimpleNamespace) -> datetime:
        return _start_of(row.day) if self.by_day else row.at

    def part(
        self,
        rank: int,
        account: Account,
        *,
        cursor: Cursor | None,
        start: date | None,
        end: date | None,
        size: int,
    ) -> QuerySet:
        """This source's part of the UNION: its first ``size + 1`` rows after the cursor
        within the range (newest first, in the subquery), as the shared columns."""
        rows = self.rows(account)
        first = (
            rows.filter(self.after(rank, cursor), self.within(start, end))
            .order_by(f"-{self.moment}", "-pk")
            .values("pk")[: size + 1]
        )
        own = {**self.columns, ("day" if self.by_day else "at"): F(self.moment)}
        select = {"tl_rank": Value(rank, output_field=models.IntegerField()), "tl_pk": F("pk")}
        for name, output in COLUMNS.items():
            select[f"tl_{name}"] = own[name] if name in own else Cast(Value(None), output)
        return rows.model.objects.filter(pk__in=first).order_by().values(**select)


def _who(row: SimpleNamespace) -> str:
    """``person`` of the row's person, from its name parts (an em dash for nobody)."""
    if row.who_user is None:
        return person(None)
    return person_label(f"{row.who_first} {row.who_last}", row.who_user)


def _label(model: type[models.Model], name: str, value: str) -> str:
    """What ``get_<name>_display()`` shows for ``value``."""
    return str(dict(model._meta.get_field(name).flatchoices).get(value, value))


def _plan_url(pk: int) -> str:
    return reverse("successplans:plan-detail", args=[pk])


def _account_url(pk: int) -> str:
    return reverse("engagements:account-detail", args=[pk])


def _journal(row: SimpleNamespace):
    url = reverse("playbooks:case-detail", args=[row.number])
    if row.kind == JournalEntry.Kind.CHANGE:
        text = f"{row.field}: {row.old or '—'} → {row.new or '—'}"
        return f"{row.number}: change", text, _who(row), url, False
    visible = row.kind == JournalEntry.Kind.COMMENT
    title = f"{row.number}: {_label(JournalEntry, 'kind', row.kind).lower()}"
    return title, row.text, _who(row), url, visible


def _plan(row: SimpleNamespace):
    owner = _who(row) if row.who_user is not None else ""  # the owner is a Resource
    return "Success plan created", row.name, owner, _plan_url(row.ref), False


CENTS = Decimal(1).scaleb(-KPIValue._meta.get_field("value").decimal_places)


def _kpi_value(row: SimpleNamespace):
    value = "—" if row.amount is None else Decimal(row.amount).quantize(CENTS)
    text = f"{row.name}: {value} {row.unit}".strip()
    url = reverse(Objective.detail_view, args=[row.ref])
    return "KPI value recorded", text, _who(row), url, bool(row.flag)


def _record_change(row: SimpleNamespace):
    """ "Objective edited", "Playbook task deleted", "Playbook task Completed" (its status)."""
    title = f"{_label(PlanRecordChange, 'record', row.kind)} {row.change}"
    return title, f"{row.name} ({row.plan_name})", _who(row), _plan_url(row.ref), False


def _cs_activity(row: SimpleNamespace):
    title = f"CS activity: {_label(CSActivity, 'type', row.kind).lower()}"
    text = row.name + (f" — {row.text}" if row.text else "")
    return title, text, _who(row), _plan_url(row.ref), False


def _logged(row: SimpleNamespace):
    url = _account_url(row.ref) + "#timeline"
    return _label(AccountActivity, "kind", row.kind), row.text, _who(row), url, False


def _challenge(row: SimpleNamespace):
    url = reverse("successplans:challenge-detail", args=[row.pk])
    return "Business challenge", row.name, "", url, False


def _snapshot(row: SimpleNamespace):
    sign = "+" if (row.delta or 0) > 0 else ""
    colour = _label(Snapshot, "colour", row.kind).lower()
    text = f"Score {row.score} ({sign}{row.delta}), {colour}"
    return "Health score moved", text, "", _account_url(row.ref) + "#health", False


def _manual(row: SimpleNamespace):
    title = f"{row.name} set {_label(ManualValue, 'value', row.kind).lower()}"
    return title, row.text, _who(row), _account_url(row.ref) + "#health", False


def _override(row: SimpleNamespace):
    text = f"{row.score} until {row.on:%b %-d, %Y}: {row.text}"
    return "Health score overridden", text, _who(row), _account_url(row.ref), False


def _change(row: SimpleNamespace):
    text = f"{row.old or '—'} → {row.new or '—'}"
    return row.field, text, _who(row), _account_url(row.ref), False


SOURCES = [
    Source(
        "case",
        lambda a: JournalEntry.objects.filter(case__engagement__account=a),
        "created_at",
        _journal,
        {
            "number": F("case__number"),
            "kind": F("kind"),
            "field": F("field"),
            "old": F("old_value"),
            "new": F("new_value"),
            "text": F("body"),
            **_by("author"),
        },
    ),
    Source(
        "plan",
        lambda a: SuccessPlan.objects.filter(account=a, is_template=False),
        "created_at",
        _plan,
        {"name": F("name"), "ref": F("pk"), **_by("owner__user")},
    ),
    Source(
        "plan",
        lambda a: KPIValue.objects.filter(kpi__objective__plan__account=a),
        "recorded_at",
        _kpi_value,
        {
            "name": F("kpi__name"),
            "unit": F("kpi__unit"),
            "amount": F("value"),
            "ref": F("kpi__objective_id"),
            "flag": F("kpi__external"),
            **_by("recorded_by"),
        },
    ),
    Source(
        "plan",
        lambda a: PlanRecordChange.objects.filter(plan__account=a),
        "at",
        _record_change,
        {
            "kind": F("record"),
            "change": F("change"),
            "name": F("name"),
            "plan_name": F("plan__name"),
            "ref": F("plan_id"),
            **_by("actor"),
        },
    ),
    Source(
        "activity",
        lambda a: CSActivity.objects.filter(plan__account=a),
        "date",
        _cs_activity,
        {
            "kind": F("type"),
            "name": F("subject"),
            "text": F("notes"),
            "ref": F("plan_id"),
            **_by("who"),
        },
        by_day=True,
    ),
    Source(
        "activity",
        lambda a: AccountActivity.objects.filter(account=a),
        "date",
        _logged,
        {"kind": F("kind"), "text": F("text"), "ref": F("account_id"), **_by("author")},
        by_day=True,
    ),
    Source(
        "challenge",
        lambda a: BusinessChallenge.objects.filter(plan__account=a),
        "created_at",
        _challenge,
        {"name": F("name")},
    ),
    Source(
        "health",
        lambda a: Snapshot.objects.filter(account=a).exclude(change=0).exclude(change=None),
        "day",
        _snapshot,
        {"score": F("score"), "delta": F("change"), "kind": F("colour"), "ref": F("account_id")},
        by_day=True,
    ),
    Source(
        "health",
        lambda a: ManualValue.objects.filter(account=a),
        "set_at",
        _manual,
        {
            "name": F("measure__name"),
            "kind": F("value"),
            "text": F("note"),
            "ref": F("account_id"),
            **_by("set_by"),
        },
    ),
    Source(
        "health",
        lambda a: Override.objects.filter(account=a),
        "set_at",
        _override,
        {
            "score": F("score"),
            "on": F("expires_on"),
            "text": F("reason"),
            "ref": F("account_id"),
            **_by("set_by"),
        },
    ),
    Source(
        "account",
        lambda a: AccountChange.objects.filter(account=a),
        "at",
        _change,
        {
            "field": F("field"),
            "old": F("old_value"),
            "new": F("new_value"),
            "ref": F("account_id"),
            **_by("actor"),
        },
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
    """One page of ``account``'s timeline, newest first (one query for the sources asked for)."""
    wanted = set(kinds or KINDS)
    parts = [
        source.part(rank, account, cursor=cursor, start=start, end=end, size=size)
        for rank, source in enumerate(SOURCES)
        if source.kind in wanted
    ]
    if not parts:
        return Page([], None)
    found = []
    for values in parts[0].union(*parts[1:], all=True):
        row = SimpleNamespace(**{name.removeprefix("tl_"): value for name, value in values.items()})
        found.append((SOURCES[row.rank].moment_of(row), row.rank, row.pk, row))
    found.sort(key=lambda item: item[:3], reverse=True)
    entries = []
    for at, rank, pk, row in found[:size]:
        source = SOURCES[rank]
        entries.append(Entry(at, rank, pk, source.kind, *source.entry(row)))
    more = len(found) > size
    return Page(entries, entries[-1].key if more and entries else None)
