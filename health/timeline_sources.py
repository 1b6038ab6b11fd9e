"""The account timeline's sources (``health.timeline`` reads them): for each, the rows of an
account, the field that orders them, the columns of the one UNION ALL query it fills
(``COLUMNS``) and how its entries read. A source is declared with ``@source`` on the
function that words its entries; the order of this module is the sources' rank.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Value
from django.db.models.functions import Cast
from django.utils import timezone

from core.formatting import person
from core.formatting import person_label
from core.links import record_url
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

if TYPE_CHECKING:
    from .timeline import Cursor


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


SOURCES: list[Source] = []


def source(
    kind: str,
    rows: Callable[[Account], QuerySet],
    moment: str,
    /,
    *,
    by_day: bool = False,
    who: str | None = None,
    **columns: str,
):
    """Declare the decorated function as a source's entry: its ``rows`` of an account, the
    field that orders them, the ``COLUMNS`` it reads (name="path to a field") and ``who``
    (the path to the user it names). A source's place in ``SOURCES`` (this module's order)
    breaks ties between sources and is in the cursor."""
    read = {name: F(path) for name, path in columns.items()} | (_by(who) if who else {})

    def register(entry):
        SOURCES.append(Source(kind, rows, moment, entry, read, by_day))
        return entry

    return register


def _who(row: SimpleNamespace) -> str:
    """``person`` of the row's person, from its name parts (an em dash for nobody)."""
    if row.who_user is None:
        return person(None)
    return person_label(f"{row.who_first} {row.who_last}", row.who_user)


def _label(model: type[models.Model], name: str, value: str) -> str:
    """What ``get_<name>_display()`` shows for ``value``."""
    return str(dict(model._meta.get_field(name).flatchoices).get(value, value))


def _plan_url(pk: int) -> str:
    return record_url("successplans:plan-detail", pk)


def _account_url(pk: int) -> str:
    return record_url("engagements:account-detail", pk)


@source(
    "case",
    lambda a: JournalEntry.objects.filter(case__engagement__account=a),
    "created_at",
    number="case__number",
    kind="kind",
    field="field",
    old="old_value",
    new="new_value",
    text="body",
    who="author",
)
def _journal(row: SimpleNamespace):
    url = record_url("playbooks:case-detail", row.number)
    if row.kind == JournalEntry.Kind.CHANGE:
        text = f"{row.field}: {row.old or '—'} → {row.new or '—'}"
        return f"{row.number}: change", text, _who(row), url, False
    visible = row.kind == JournalEntry.Kind.COMMENT
    title = f"{row.number}: {_label(JournalEntry, 'kind', row.kind).lower()}"
    return title, row.text, _who(row), url, visible


@source(
    "plan",
    lambda a: SuccessPlan.objects.filter(account=a, is_template=False),
    "created_at",
    name="name",
    ref="pk",
    who="owner__user",
)
def _plan(row: SimpleNamespace):
    owner = _who(row) if row.who_user is not None else ""  # the owner is a Resource
    return "Success plan created", row.name, owner, _plan_url(row.ref), False


CENTS = Decimal(1).scaleb(-KPIValue._meta.get_field("value").decimal_places)


@source(
    "plan",
    lambda a: KPIValue.objects.filter(kpi__objective__plan__account=a),
    "recorded_at",
    name="kpi__name",
    unit="kpi__unit",
    amount="value",
    ref="kpi__objective_id",
    flag="kpi__external",
    who="recorded_by",
)
def _kpi_value(row: SimpleNamespace):
    value = "—" if row.amount is None else Decimal(row.amount).quantize(CENTS)
    text = f"{row.name}: {value} {row.unit}".strip()
    url = record_url(Objective.detail_view, row.ref)
    return "KPI value recorded", text, _who(row), url, bool(row.flag)


@source(
    "plan",
    lambda a: PlanRecordChange.objects.filter(plan__account=a),
    "at",
    kind="record",
    change="change",
    name="name",
    plan_name="plan__name",
    ref="plan_id",
    who="actor",
)
def _record_change(row: SimpleNamespace):
    """ "Objective edited", "Playbook task deleted", "Playbook task Completed" (its status)."""
    title = f"{_label(PlanRecordChange, 'record', row.kind)} {row.change}"
    return title, f"{row.name} ({row.plan_name})", _who(row), _plan_url(row.ref), False


@source(
    "activity",
    lambda a: CSActivity.objects.filter(plan__account=a),
    "date",
    by_day=True,
    kind="type",
    name="subject",
    text="notes",
    ref="plan_id",
    who="who",
)
def _cs_activity(row: SimpleNamespace):
    title = f"CS activity: {_label(CSActivity, 'type', row.kind).lower()}"
    text = row.name + (f" — {row.text}" if row.text else "")
    return title, text, _who(row), _plan_url(row.ref), False


@source(
    "activity",
    lambda a: AccountActivity.objects.filter(account=a),
    "date",
    by_day=True,
    kind="kind",
    text="text",
    ref="account_id",
    who="author",
)
def _logged(row: SimpleNamespace):
    url = _account_url(row.ref) + "#timeline"
    return _label(AccountActivity, "kind", row.kind), row.text, _who(row), url, False


@source(
    "challenge",
    lambda a: BusinessChallenge.objects.filter(plan__account=a),
    "created_at",
    name="name",
)
def _challenge(row: SimpleNamespace):
    url = record_url("successplans:challenge-detail", row.pk)
    return "Business challenge", row.name, "", url, False


@source(
    "health",
    lambda a: Snapshot.objects.filter(account=a).exclude(change=0).exclude(change=None),
    "day",
    by_day=True,
    score="score",
    delta="change",
    kind="colour",
    ref="account_id",
)
def _snapshot(row: SimpleNamespace):
    sign = "+" if (row.delta or 0) > 0 else ""
    colour = _label(Snapshot, "colour", row.kind).lower()
    text = f"Score {row.score} ({sign}{row.delta}), {colour}"
    return "Health score moved", text, "", _account_url(row.ref) + "#health", False


@source(
    "health",
    lambda a: ManualValue.objects.filter(account=a),
    "set_at",
    name="measure__name",
    kind="value",
    text="note",
    ref="account_id",
    who="set_by",
)
def _manual(row: SimpleNamespace):
    title = f"{row.name} set {_label(ManualValue, 'value', row.kind).lower()}"
    return title, row.text, _who(row), _account_url(row.ref) + "#health", False


@source(
    "health",
    lambda a: Override.objects.filter(account=a),
    "set_at",
    score="score",
    on="expires_on",
    text="reason",
    ref="account_id",
    who="set_by",
)
def _override(row: SimpleNamespace):
    text = f"{row.score} until {row.on:%b %-d, %Y}: {row.text}"
    return "Health score overridden", text, _who(row), _account_url(row.ref), False


@source(
    "account",
    lambda a: AccountChange.objects.filter(account=a),
    "at",
    field="field",
    old="old_value",
    new="new_value",
    ref="account_id",
    who="actor",
)
def _change(row: SimpleNamespace):
    text = f"{row.old or '—'} → {row.new or '—'}"
    return row.field, text, _who(row), _account_url(row.ref), False
