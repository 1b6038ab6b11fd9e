"""Reads of account health: one account's score explained, its trend, lists with scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import F
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.urls import reverse
from django.utils import timezone

from engagements.models import Account

from .models import HealthSettings
from .models import ManualValue
from .models import Measure
from .models import Override
from .models import Rule
from .models import Snapshot
from .scoring import CLOSED_WINDOW_DAYS
from .scoring import Board
from .scoring import finish
from .scoring import points_name
from .scoring import scored

TREND_WINDOW = 90


@dataclass(frozen=True)
class Line:
    """One measure's part of a score: "-15: 3 of 8 active KPIs Overdue or Blocked"."""

    measure: Measure
    points: int  # taken off (0 or more)
    why: str
    url: str


@dataclass(frozen=True)
class Explained:
    score: int
    computed: int
    colour: str
    change: int | None  # over 30 days, None without a snapshot that old
    override: Override | None
    lines: list[Line]
    manual: list[tuple[Measure, ManualValue | None]]  # each manual measure, its latest value


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _days_ago(moment, today: date) -> int:
    day = timezone.localtime(moment).date() if hasattr(moment, "hour") else moment
    return (today - day).days


def _why(measure: Measure, row: Account, board: Board, latest: dict) -> tuple[str, str]:
    """The reason a measure gives what it gives, and the page behind it."""
    today, target, pk = board.today, measure.effective_target, row.pk
    cases = reverse("playbooks:case-list") + f"?account={pk}"
    plans = reverse("successplans:plan-list") + f"?account={pk}"
    here = reverse("engagements:account-detail", args=[pk])
    rule = measure.rule
    if rule == Rule.KPIS_AT_RISK:
        if not row.hx_kpis:
            return "No active KPIs", plans
        return f"{row.hx_kpis_at_risk} of {row.hx_kpis} active KPIs Overdue or Blocked", plans
    if rule == Rule.OVERDUE_TASKS:
        case_tasks, plan_tasks = row.hx_case_tasks_overdue, row.hx_plan_tasks_overdue
        if not case_tasks + plan_tasks:
            return "No overdue tasks", cases
        why = f"{_plural(case_tasks, 'case task')} and {_plural(plan_tasks, 'playbook task')}"
        return f"{why} overdue (all points at {target})", cases
    if rule == Rule.OLDEST_CASE:
        if row.hx_oldest_open is None:
            return "No open success cases", cases
        age = _days_ago(row.hx_oldest_open, today)
        return f"Oldest open success case opened {_plural(age, 'day')} ago (target {target})", cases
    if rule == Rule.INACTIVITY:
        seen = [v for v in (row.hx_last_note, row.hx_last_cs, row.hx_last_logged) if v]
        if not seen:
            age = _days_ago(row.created_at, today)
            return f"No activity yet; account created {_plural(age, 'day')} ago", here + "#timeline"
        age = min(_days_ago(v, today) for v in seen)
        return f"Last activity {_plural(age, 'day')} ago (target {target})", here + "#timeline"
    if rule == Rule.UNSUCCESSFUL_CLOSURES:
        if not row.hx_closed:
            return f"No success cases closed in the last {CLOSED_WINDOW_DAYS} days", cases
        return (
            f"{row.hx_unsuccessful} of {_plural(row.hx_closed, 'case')} closed in the last"
            f" {CLOSED_WINDOW_DAYS} days unsuccessful",
            cases,
        )
    if rule == Rule.RENEWAL_BLOCKED:
        if row.renewal_date is None:
            return "No renewal date", here + "#facts"
        days = (row.renewal_date - today).days
        if days < 0:
            return f"Renewal date passed {_plural(-days, 'day')} ago", here + "#facts"
        blocked = _plural(row.hx_kpis_blocked, "Blocked KPI")
        return f"Renewal in {_plural(days, 'day')}, {blocked} (counts within {target})", plans
    value = latest.get(measure.pk)
    if value is None:
        return "Not set", here + "#health"
    return f"{value.get_value_display()}: {value.note}", here + "#health"


def explain(
    account: Account, board: Board | None = None, *, row: Account | None = None
) -> Explained:
    """The account's score and why, measure by measure (four queries at any size). ``row``:
    the account read already through ``scored(..., detail=True)`` and ``finish`` (the account
    page reads it so in its access check, one query less)."""
    board = board or Board.load()
    if row is None:
        row = finish(scored(Account.objects.filter(pk=account.pk), board, detail=True), board)[0]
    manual_measures = [m for m in board.measures if m.rule == Rule.MANUAL]
    latest: dict[int, ManualValue] = {}
    if manual_measures:
        # Each measure's newest reading only (one index lookup a measure, ``manual_latest``),
        # however many readings the account has collected.
        readings = ManualValue.objects.filter(account=account).order_by("-set_at", "-pk")
        newest = (
            Q(pk=Subquery(readings.filter(measure=m).values("pk")[:1])) for m in manual_measures
        )
        for value in ManualValue.objects.filter(reduce(or_, newest)).select_related("set_by"):
            latest[value.measure_id] = value
    override = None
    if row.health_override is not None:
        override = (
            Override.objects.filter(account=account, expires_on__gte=board.today)
            .select_related("set_by")
            .order_by("-set_at", "-pk")
            .first()
        )
    lines = []
    for measure in board.measures:
        why, url = _why(measure, row, board, latest)
        lines.append(Line(measure, getattr(row, points_name(measure)), why, url))
    return Explained(
        score=row.health_score,
        computed=row.health_computed,
        colour=row.health_colour,
        change=row.health_change,
        override=override,
        lines=lines,
        manual=[(m, latest.get(m.pk)) for m in manual_measures],
    )


def trend(account: Account, *, today: date | None = None) -> list[Snapshot]:
    """The last 90 days' snapshots, oldest first (one query)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=TREND_WINDOW)
    return list(Snapshot.objects.filter(account=account, day__gt=since).order_by("day"))


def with_health(accounts: QuerySet) -> QuerySet:
    """``accounts`` with their stored current score (``AccountHealth``, a plain LEFT JOIN):
    ``health_score`` and ``health_change`` (over 30 days) to show, sort and filter on, both
    None for an account not scored yet. ``finish_rows`` adds the colour."""
    return accounts.annotate(
        health_score=F("health__score"),
        health_change=F("health__change_30d"),
    )


def finish_rows(rows, thresholds: HealthSettings) -> list:
    """The rows read from ``with_health`` with ``health_colour`` (the thresholds' reading).

    An account created since the last refresh (in the admin, by an import) has no stored
    score yet: its row is scored live here (the measures and one query, only on a page that
    has such a row), so the list never shows a blank; it sorts and filters by the stored
    score from its first refresh (the daily snapshot or an event that moves a measure).
    """
    rows = list(rows)
    unscored = [row.pk for row in rows if row.health_score is None]
    if unscored:
        board = Board(
            measures=list(Measure.objects.filter(active=True, weight__gt=0)),
            settings=thresholds,
        )
        live = {
            row.pk: row
            for row in finish(scored(Account.objects.filter(pk__in=unscored), board), board)
        }
        for row in rows:
            if row.pk in live:
                row.health_score = live[row.pk].health_score
                row.health_change = live[row.pk].health_change
    for row in rows:
        row.health_colour = thresholds.colour_of(row.health_score)
    return rows


@dataclass(frozen=True)
class Chart:
    """The trend as an SVG polyline: x by day over the 90 days, y by score (0 at the bottom)."""

    points: str
    width: int
    height: int
    first: Snapshot | None
    last: Snapshot | None


def chart(snapshots: list[Snapshot], *, today: date | None = None) -> Chart:
    width, height = 360, 80
    today = today or timezone.localdate()
    start = today - timedelta(days=TREND_WINDOW)
    points = " ".join(
        f"{(s.day - start).days * width / TREND_WINDOW:.1f},{height - s.score * height / 100:.1f}"
        for s in snapshots
    )
    return Chart(
        points,
        width,
        height,
        snapshots[0] if snapshots else None,
        snapshots[-1] if snapshots else None,
    )
