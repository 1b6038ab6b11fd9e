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
under the column names all parts share (``timeline_sources.COLUMNS``; NULL where a source
has nothing). So a page costs one query, however long the history is and however many
sources it shows. The sources themselves are declared in ``health.timeline_sources``.
Records that carry a day and no moment (CS activities, logged activities, snapshots) are
placed at the start of their day (below what was done that day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from types import SimpleNamespace

from django.utils.dateparse import parse_datetime

from engagements.models import Account

from .timeline_sources import SOURCES

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
