"""The Success Tracker: live success plans and their children over time, by account.

Plans (never templates), their objectives, playbooks and playbook tasks are
laid out as bars over a window chosen by the zoom (weeks, months, quarters,
years) and moved with Previous / Today / Next. The geometry is in
``successplans.timeline``; this view is a list page (``core.lists.list_page``)
over ``selectors.tracker_plans`` (paged accounts first, a fixed number of
queries) and arranges the page's plans and children in rows.

Query string: ``zoom``, ``start`` (YYYY-MM-DD), ``account`` (repeatable), ``q`` (search
by name) and ``page``. A bad zoom or date shows a message and the default; it never fails.
"""

from __future__ import annotations

from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from functools import partial
from typing import Any

import django_filters
from django.contrib import messages
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import QueryDict
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.lists import list_page
from engagements.models import Account

from .. import selectors
from .. import services
from .. import timeline
from ..forms import record_dates_form
from ..models import DONE_STATUSES
from ..models import Objective
from ..models import ObjectiveKPI
from ..models import Playbook
from ..models import PlaybookTask
from ..models import SuccessPlan
from ..widgets import SearchSelectMultiple
from .access import login_required
from .access import record_to
from .access import safe_next
from .access import view_plans
from .related import form_error

KIND_LABELS = {
    "plan": "Success Plan",
    "objective": "Objective",
    "playbook": "Playbook",
    "task": "Playbook Task",
}
#: The tracker rows whose dates can be moved there, by kind.
DATED_KINDS = {"objective": Objective, "playbook": Playbook, "task": PlaybookTask}

# About ten rows a plan (objectives, playbooks, tasks, challenges): some fifty rows a page.
PLANS_PER_PAGE = 5


class TrackerFilter(django_filters.FilterSet):
    """The tracker's filters, several accounts and a search by name; the view reads them
    (``chosen_accounts``, ``search``) and hands them to the selector."""

    q = django_filters.CharFilter(
        label="Search",
        method="_none",
        max_length=200,
        help_text="Plans, accounts, objectives, playbooks and tasks whose name contains it.",
    )

    account = django_filters.ModelMultipleChoiceFilter(
        queryset=selectors.tracker_accounts(),  # with their counts of live plans
        label="Accounts",
        help_text="Choose one or more; none shows every account.",
        error_messages={
            "invalid_choice": "There is no account %(value)s: showing every account.",
            "invalid_pk_value": "“%(pk)s” is not an account: showing every account.",
        },
        widget=SearchSelectMultiple("accounts", attrs={"size": 4}),
    )

    def chosen_accounts(self) -> list[Account]:
        """The accounts asked for; none (every account) when the input is not valid."""
        return list(self.form.cleaned_data["account"]) if self.is_valid() else []

    def search(self) -> str:
        """The text searched for ("" when none or too long: the field says why)."""
        return (self.form.cleaned_data.get("q") or "") if self.is_valid() else ""

    def _none(self, queryset, name, value):  # the selector filters (see ``search``)
        return queryset


@dataclass
class Row:
    """One record of the tracker: a plan, objective, playbook or playbook task."""

    kind: str  # plan, objective, playbook, task
    record: Any
    level: int
    span: timeline.Span | None
    bar: timeline.Bar | None
    badges: list[tuple[str, int]] = field(default_factory=list)
    progress: str = ""  # e.g. "3/5 tasks done"
    #: How far along, 0-100: a plan's share of tasks done, an objective's KPIs' mean progress.
    percent: int | None = None
    #: Where the bar's label goes (``timeline.label_style``): never across today's line.
    label_style: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def people(self) -> str:
        """Who works on it: the plan's owner, the child's resource(s) (all prefetched)."""
        if self.kind == "plan":
            people = [self.record.owner]
        elif self.kind == "task":
            people = list(self.record.resources.all())
        else:
            people = [self.record.resource]
        return ", ".join(str(person) for person in people if person is not None)

    @property
    def dates(self) -> str:
        text = timeline.format_span(self.span)
        return f"{text} (from the plan)" if self.span and self.span.inherited else text

    @property
    def title(self) -> str:
        return f"{self.kind_label} {self.record.name}: {self.dates}"


@dataclass
class PlanBlock:
    plan: SuccessPlan
    row: Row
    rows: list[Row]
    kpi_badges: list[tuple[str, int]]
    challenges: list


def badge_counts(kpis, today: date) -> list[tuple[str, int]]:
    """``[("Completed", 2), ("Overdue", 1)]`` in badge order, from prefetched KPIs."""
    counts = Counter(kpi.badge_on(today) for kpi in kpis)
    return [(badge.label, counts[badge]) for badge in ObjectiveKPI.Badge if counts[badge]]


def mean_progress(kpis) -> int | None:
    """The mean of the KPIs' progress (``ObjectiveKPI.progress_percent``), those with one."""
    known = [kpi.progress_percent for kpi in kpis if kpi.progress_percent is not None]
    return round(sum(known) / len(known)) if known else None


def tasks_done(tasks) -> str:
    """``3/5 tasks done`` (completed or canceled), or "" without tasks."""
    if not tasks:
        return ""
    done = sum(1 for task in tasks if task.status in DONE_STATUSES)
    return f"{done}/{len(tasks)} tasks done"


def _place_row(
    kind: str,
    record,
    plan: SuccessPlan,
    win: timeline.Window,
    level: int,
    *,
    today_left: float | None,
    **extra,
) -> Row:
    if kind == "plan":
        span = timeline.resolve_span(plan.effective_date, plan.end_date)
    else:
        span = timeline.resolve_span(
            record.start_date, record.end_date, plan.effective_date, plan.end_date
        )
    bar = timeline.bar(win, span.start, span.end) if span else None
    label = timeline.label_style(bar, today_left) if bar else ""
    return Row(
        kind=kind, record=record, level=level, span=span, bar=bar, label_style=label, **extra
    )


def plan_block(plan: SuccessPlan, win: timeline.Window, today: date) -> PlanBlock:
    """A plan's row and its children's rows, from the rows prefetched with it (no queries)."""
    _row = partial(_place_row, today_left=timeline.today_marker(win, today))
    rows: list[Row] = []
    all_kpis = []
    for objective in plan.objectives.all():
        kpis = list(objective.kpis.all())
        all_kpis.extend(kpis)
        rows.append(
            _row(
                "objective",
                objective,
                plan,
                win,
                1,
                badges=badge_counts(kpis, today),
                percent=mean_progress(kpis),
            )
        )
    tasks_by_playbook = defaultdict(list)
    for task in plan.playbook_tasks.all():
        tasks_by_playbook[task.playbook_id].append(task)
    for playbook in plan.playbooks.all():
        tasks = tasks_by_playbook[playbook.pk]
        rows.append(_row("playbook", playbook, plan, win, 1, progress=tasks_done(tasks)))
        rows.extend(_row("task", task, plan, win, 2) for task in tasks)
    rows.extend(_row("task", task, plan, win, 1) for task in tasks_by_playbook[None])
    tasks = list(plan.playbook_tasks.all())
    plan.task_count = len(tasks)
    plan.tasks_done = sum(1 for task in tasks if task.status in DONE_STATUSES)
    share = round(100 * plan.tasks_done / plan.task_count) if plan.task_count else None
    return PlanBlock(
        plan=plan,
        row=_row("plan", plan, plan, win, 0, percent=share),
        rows=rows,
        kpi_badges=badge_counts(all_kpis, today),
        challenges=list(plan.business_challenges.all()),
    )


def _query(params: dict[str, Any]) -> str:
    """A tracker query string from ``params`` (lists repeat the key), without empty values."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            query.setlist(key, [str(v) for v in value])
        elif value not in (None, ""):
            query[key] = str(value)
    return f"?{query.urlencode()}" if query else "?"


@login_required
@view_plans
def tracker(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    zoom, zoom_error = timeline.parse_zoom(request.GET.get("zoom"))
    start, start_error = timeline.parse_start(request.GET.get("start"))
    win = timeline.window(zoom, start, today=today)
    marks = timeline.ticks(win)

    filterset = TrackerFilter(request.GET, queryset=SuccessPlan.objects.none())
    accounts = filterset.chosen_accounts()
    account_ids = [a.pk for a in accounts]
    search = filterset.search()

    # Grouped by account in the selector's order (account name, then effective date);
    # keyed by id, so two accounts of the same name never merge or split. Filled when
    # the page's plans are read, before the page renders.
    groups: list[dict] = []

    def arrange(plans) -> list[SuccessPlan]:
        plans = list(plans)
        by_account: dict[int, list[PlanBlock]] = {}
        for plan in selectors.tracker_children(plans):
            by_account.setdefault(plan.account_id, []).append(plan_block(plan, win, today))
        groups.extend({"account": b[0].plan.account, "plans": b} for b in by_account.values())
        return plans

    # Links keep the accounts chosen and the search; zoom links keep the window's start
    # where they can.
    kept = {"account": account_ids, "q": search}
    explicit_start = start.isoformat() if start else None
    today_left = timeline.today_marker(win, today)
    context = {
        "zoom": zoom,
        "zooms": [
            {
                "zoom": z,
                "url": _query({**kept, "zoom": z.value, "start": explicit_start}),
                "current": z == zoom,
            }
            for z in timeline.Zoom
        ],
        "window": win,
        "ticks": marks,
        "grid_style": timeline.gridlines_style(marks),
        "today": today,
        "today_style": None if today_left is None else f"left: {today_left:.2f}%",
        "previous_url": _query(
            {**kept, "zoom": zoom.value, "start": win.previous_start.isoformat()}
        ),
        "today_url": _query({**kept, "zoom": zoom.value}),
        "next_url": _query({**kept, "zoom": zoom.value, "start": win.next_start.isoformat()}),
        "window_text": timeline.format_span(timeline.Span(win.start, win.last_day)),
        "errors": [e for e in (zoom_error, start_error) if e],
        "accounts": accounts,
        "search": search,
        "groups": groups,
        # Which rows' dates the user may move on the tracker (dragging, keys or the form).
        "movable": [
            kind
            for kind, model in DATED_KINDS.items()
            if request.user.has_perm(f"successplans.change_{model._meta.model_name}")
        ],
        "start_param": explicit_start,
        "here": request.get_full_path(),
    }
    return list_page(
        request,
        filterset,
        template="successplans/tracker.html",
        fragment="successplans/partials/tracker_body.html",
        extra=context,
        per_page=PLANS_PER_PAGE,
        rows=selectors.tracker_plans(accounts=accounts, search=search),
        complete=arrange,
    )


# -- moving a record's dates (a dragged bar, its keys, or this plain form) ---------------------
def _dated_to_change(request: HttpRequest, kind: str, pk: int):
    """The objective, playbook or task whose dates move: 403 unless the user may change it
    (checked first: a refused user learns nothing about the record), else 404."""
    model = DATED_KINDS.get(kind)
    if model is None:
        raise Http404("No such record.")
    return record_to(request, "change", model.objects.select_related("plan__account"), pk=pk)


@login_required
@view_plans
def record_dates(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The Dates form: what the tracker's drag and keys post too; back to ``next`` after."""
    record = _dated_to_change(request, kind, pk)
    label = KIND_LABELS[kind]
    form = record_dates_form(type(record))(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dates_move(
                record=record,
                start_date=form.cleaned_data["start_date"],
                end_date=form.cleaned_data["end_date"],
                user=request.user,
            )
        except DomainError as error:
            form_error(form, error)
        else:
            span = timeline.Span(record.start_date, record.end_date)
            messages.success(
                request, f"{label} “{record.name}” now runs {timeline.format_span(span)}."
            )
            return redirect(safe_next(request) or reverse("successplans:tracker"))
    plan = record.plan
    context = {
        "form": form,
        "record": record,
        "plan": plan,
        "kind_label": label,
        "plan_dates": timeline.format_span(timeline.Span(plan.effective_date, plan.end_date)),
        "next": safe_next(request),
    }
    return render(request, "successplans/record_dates.html", context)


urlpatterns = [
    path("tracker/", tracker, name="tracker"),
    path("tracker/dates/<slug:kind>/<int:pk>/", record_dates, name="tracker-dates"),
]
