"""Health scores computed in the database: one annotated queryset for a page of accounts.

``scored(accounts, board)`` adds, per active measure, the points it takes off
(``hp_<measure id>``), the inputs behind them (``hx_*``: counts and moments the page
explains), the computed score, the override in force, the score shown and its colour, and
the change over 30 days. Every figure is a correlated subquery or an expression over
them, so a page of 25 accounts costs the same one query whether the database holds ten
accounts or ten thousand, and the list can sort and filter on any of them.

A measure takes off ``weight * badness`` points, badness being between 0 and 1:

- KPIs at risk: the share of active KPIs (of the account's plans that are not Completed or
  Canceled) that are Blocked or Overdue (0 without KPIs);
- overdue tasks: open case tasks and playbook tasks past their due/end date, over the
  target (the count that takes off the whole weight);
- oldest open case and days since the last activity: 0 within the target, ½ past it,
  1 past twice the target (steps rather than a slope: portable SQL, easy to explain);
  an account that never had activity counts from its creation;
- unsuccessful closures: the share of cases closed in the last 90 days whose closure code
  the admins marked unsuccessful (0 when none were closed);
- renewal with Blocked KPIs: all of it when the renewal date is within the target days
  (today included) and a KPI is Blocked; nothing once the renewal date has passed (the
  renewal date is stale then, not the customer);
- manual: red 1, amber ½, green or not set 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.db.models import Case
from django.db.models import CharField
from django.db.models import DateField
from django.db.models import DateTimeField
from django.db.models import F
from django.db.models import FloatField
from django.db.models import IntegerField
from django.db.models import Max
from django.db.models import Min
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Cast
from django.db.models.functions import Coalesce
from django.db.models.functions import Floor
from django.db.models.functions import Greatest
from django.db.models.functions import Least
from django.utils import timezone

from core.queries import subquery_count
from engagements.models import AccountActivity
from playbooks.models import OPEN_PHASES
from playbooks.models import OPEN_TASK_STATES
from playbooks.models import CaseTask
from playbooks.models import JournalEntry
from playbooks.models import Phase
from playbooks.models import SuccessCase
from successplans.models import DONE_STATUSES
from successplans.models import CSActivity
from successplans.models import ObjectiveKPI
from successplans.models import PlaybookTask

from .models import Colour
from .models import HealthSettings
from .models import ManualValue
from .models import Measure
from .models import Override
from .models import Rule
from .models import Snapshot

ACCOUNT = OuterRef("pk")
CLOSED_WINDOW_DAYS = 90
TREND_DAYS = 30


@dataclass
class Board:
    """What scoring needs besides the accounts: the active measures and the thresholds
    (two queries, made once per page), and the moment it is computed for."""

    measures: list[Measure]
    settings: HealthSettings
    now: datetime = field(default_factory=timezone.now)

    @classmethod
    def load(cls, now: datetime | None = None) -> Board:
        return cls(
            measures=list(Measure.objects.filter(active=True, weight__gt=0)),
            settings=HealthSettings.current(),
            now=now or timezone.now(),
        )

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)


# -- the inputs ------------------------------------------------------------------------------
def _active_kpis(today: date) -> QuerySet:
    return ObjectiveKPI.objects.filter(
        objective__plan__account=ACCOUNT, objective__plan__is_template=False
    ).exclude(objective__plan__status__in=DONE_STATUSES)


def kpi_at_risk_q(today: date) -> Q:
    """Blocked, or Overdue as ``ObjectiveKPI.badge_on`` says it, in SQL."""
    reached = Q(direction=ObjectiveKPI.Direction.HIGHER, current__gte=F("target")) | Q(
        direction=ObjectiveKPI.Direction.LOWER, current__lte=F("target")
    )
    overdue = Q(current__isnull=False, target__isnull=False, due_date__lt=today) & ~reached
    return Q(blocked=True) | (Q(blocked=False) & overdue)


def _inputs(board: Board) -> dict:
    today, now = board.today, board.now
    cases = SuccessCase.objects.filter(engagement__account=ACCOUNT)
    closed = cases.filter(
        phase=Phase.CLOSED, closed_at__gte=now - timedelta(days=CLOSED_WINDOW_DAYS)
    )
    unsuccessful_codes = HealthSettings.unsuccessful_codes.through.objects.values("closurecode_id")
    kpis = _active_kpis(today)
    rules = {m.rule for m in board.measures}
    inputs: dict = {}
    if Rule.KPIS_AT_RISK in rules:
        inputs["hx_kpis"] = subquery_count(kpis)
        inputs["hx_kpis_at_risk"] = subquery_count(kpis.filter(kpi_at_risk_q(today)))
    if Rule.OVERDUE_TASKS in rules:
        inputs["hx_case_tasks_overdue"] = subquery_count(
            CaseTask.objects.filter(
                case__engagement__account=ACCOUNT,
                state__in=OPEN_TASK_STATES,
                due_date__lt=today,
            )
        )
        inputs["hx_plan_tasks_overdue"] = subquery_count(
            PlaybookTask.objects.filter(
                plan__account=ACCOUNT,
                plan__is_template=False,
                end_date__lt=today,
            ).exclude(status__in=DONE_STATUSES)
        )
    if Rule.OLDEST_CASE in rules:
        inputs["hx_oldest_open"] = _first(
            cases.filter(phase__in=OPEN_PHASES), Min("opened_at"), DateTimeField()
        )
    if Rule.INACTIVITY in rules:
        notes = JournalEntry.objects.filter(
            case__engagement__account=ACCOUNT,
            kind__in=[JournalEntry.Kind.COMMENT, JournalEntry.Kind.WORK_NOTE],
        )
        inputs["hx_last_note"] = _first(notes, Max("created_at"), DateTimeField())
        inputs["hx_last_cs"] = _first(
            CSActivity.objects.filter(plan__account=ACCOUNT), Max("date"), DateField()
        )
        inputs["hx_last_logged"] = _first(
            AccountActivity.objects.filter(account=ACCOUNT), Max("date"), DateField()
        )
    if Rule.UNSUCCESSFUL_CLOSURES in rules:
        inputs["hx_closed"] = subquery_count(closed)
        inputs["hx_unsuccessful"] = subquery_count(
            closed.filter(closure_code_id__in=unsuccessful_codes)
        )
    if Rule.RENEWAL_BLOCKED in rules:
        inputs["hx_kpis_blocked"] = subquery_count(kpis.filter(blocked=True))
    for measure in board.measures:
        if measure.rule == Rule.MANUAL:
            latest = ManualValue.objects.filter(account=ACCOUNT, measure_id=measure.pk).order_by(
                "-set_at", "-pk"
            )
            inputs[f"hx_manual_{measure.pk}"] = Subquery(
                latest.values("value")[:1], output_field=CharField()
            )
    return inputs


def _first(rows: QuerySet, aggregate, output) -> Subquery:
    """One aggregate of ``rows`` as a correlated subquery (NULL when there are none)."""
    values = rows.order_by().values(group=Value(1)).annotate(v=aggregate).values("v")
    return Subquery(values, output_field=output)


# -- badness and points ----------------------------------------------------------------------
def _share(part: str, whole: str):
    return Case(
        When(
            **{f"{whole}__gt": 0},
            then=Cast(F(part), FloatField()) / Cast(F(whole), FloatField()),
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _steps(recent_enough_q: Q, fairly_recent_q: Q):
    """0 when recent enough, ½ when within twice the target, 1 beyond."""
    return Case(
        When(recent_enough_q, then=Value(0.0)),
        When(fairly_recent_q, then=Value(0.5)),
        default=Value(1.0),
        output_field=FloatField(),
    )


def _badness(measure: Measure, board: Board):
    today, now, target = board.today, board.now, measure.effective_target
    rule = measure.rule
    if rule == Rule.KPIS_AT_RISK:
        return _share("hx_kpis_at_risk", "hx_kpis")
    if rule == Rule.OVERDUE_TASKS:
        overdue = Cast(F("hx_case_tasks_overdue") + F("hx_plan_tasks_overdue"), FloatField())
        return Least(Value(1.0), overdue / Value(float(max(target, 1))))
    if rule == Rule.OLDEST_CASE:
        return Case(
            When(hx_oldest_open__lt=now - timedelta(days=2 * target), then=Value(1.0)),
            When(hx_oldest_open__lt=now - timedelta(days=target), then=Value(0.5)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    if rule == Rule.INACTIVITY:

        def since(days: int) -> Q:
            return (
                Q(hx_last_note__gte=now - timedelta(days=days))
                | Q(hx_last_cs__gte=today - timedelta(days=days))
                | Q(hx_last_logged__gte=today - timedelta(days=days))
                | Q(created_at__gte=now - timedelta(days=days))
            )

        return _steps(since(target), since(2 * target))
    if rule == Rule.UNSUCCESSFUL_CLOSURES:
        return _share("hx_unsuccessful", "hx_closed")
    if rule == Rule.RENEWAL_BLOCKED:
        return Case(
            When(
                renewal_date__gte=today,
                renewal_date__lte=today + timedelta(days=target),
                hx_kpis_blocked__gt=0,
                then=Value(1.0),
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    # manual
    value = f"hx_manual_{measure.pk}"
    return Case(
        When(**{value: Colour.RED}, then=Value(1.0)),
        When(**{value: Colour.AMBER}, then=Value(0.5)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def points_name(measure: Measure) -> str:
    return f"hp_{measure.pk}"


def scored(accounts: QuerySet, board: Board, *, detail: bool = False) -> QuerySet:
    """``accounts`` with ``health_score``, ``health_override`` and ``health_past`` selected, and
    ``health_colour`` and ``health_change`` to filter and sort on (``finish`` sets them on the
    rows read).

    Why aliases: an annotation that uses another one repeats its SQL, so selecting the
    inputs, the points, the computed score, the colour and the change side by side would
    put every subquery into the statement five or six times (a 40 kB statement, most of
    the page's time). Only the score is selected; what is not shown is an ``alias``, written
    into the SQL only where a filter or a sort uses it. ``detail=True`` selects the inputs,
    the points and the computed score too, for the account page's explanation and the
    snapshot (a few rows).
    """
    today = board.today
    add = "annotate" if detail else "alias"
    rows = getattr(accounts, add)(**_inputs(board))
    points = {
        # Half a point rounds up on every database (PostgreSQL's round() of a float would not).
        points_name(m): Cast(
            Floor(Value(float(m.weight)) * _badness(m, board) + Value(0.5)),
            output_field=IntegerField(),
        )
        for m in board.measures
    }
    if points:
        rows = getattr(rows, add)(**points)
        lost = sum((F(name) for name in points), start=Value(0))
        computed = Greatest(Value(0), Value(100) - lost)
    else:
        computed = Value(100)
    override = Override.objects.filter(account=ACCOUNT, expires_on__gte=today).order_by(
        "-set_at", "-pk"
    )
    past = Snapshot.objects.filter(
        account=ACCOUNT, day__lte=today - timedelta(days=TREND_DAYS)
    ).order_by("-day")
    rows = getattr(rows, add)(health_computed=Cast(computed, IntegerField()))
    rows = rows.annotate(
        health_override=Subquery(override.values("score")[:1], output_field=IntegerField()),
        health_past=Subquery(past.values("score")[:1], output_field=IntegerField()),
    ).annotate(health_score=Coalesce(F("health_override"), F("health_computed")))
    green, amber = board.settings.green_from, board.settings.amber_from
    return rows.alias(
        health_colour=Case(
            When(health_score__gte=green, then=Value(Colour.GREEN.value)),
            When(health_score__gte=amber, then=Value(Colour.AMBER.value)),
            default=Value(Colour.RED.value),
            output_field=CharField(),
        ),
        health_change=F("health_score") - F("health_past"),
    )


def finish(rows, board: Board) -> list:
    """The rows read from ``scored``, with ``health_colour`` and ``health_change`` set."""
    rows = list(rows)
    for row in rows:
        row.health_colour = board.settings.colour_of(row.health_score)
        row.health_change = None if row.health_past is None else row.health_score - row.health_past
    return rows
