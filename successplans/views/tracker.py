"""The Success Tracker: live success plans and their children over time, by account.

Plans (never templates), their objectives, playbooks and playbook tasks are
laid out as bars over a window chosen by the zoom (weeks, months, quarters,
years) and moved with Previous / Today / Next. The geometry is in
``successplans.timeline``; this view reads one page of plans through
``selectors.tracker_plans`` (a fixed number of queries) and arranges rows.

Query string: ``zoom``, ``start`` (YYYY-MM-DD), ``account`` (repeatable) and
``page``. A bad zoom or date shows a message and the default; it never fails.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from core.htmx import is_fragment
from core.pagination import paginate
from engagements.models import Account

from .. import selectors, timeline
from ..models import DONE_STATUSES, ObjectiveKPI, SuccessPlan
from ..widgets import SearchSelectMultiple
from .access import login_required, view_plans

# About ten rows a plan (objectives, playbooks, tasks, challenges): some fifty rows a page.
PLANS_PER_PAGE = 5


class AccountFilterForm(forms.Form):
    account = forms.ModelMultipleChoiceField(
        queryset=Account.objects.order_by("name"),
        required=False,
        label="Accounts",
        help_text="Choose one or more; none shows every account.",
        error_messages={
            "invalid_choice": "There is no account %(value)s: showing every account.",
            "invalid_pk_value": "“%(pk)s” is not an account: showing every account.",
        },
        widget=SearchSelectMultiple("accounts", attrs={"size": 4}),
    )


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

    @property
    def kind_label(self) -> str:
        return {
            "plan": "Success Plan",
            "objective": "Objective",
            "playbook": "Playbook",
            "task": "Playbook Task",
        }[self.kind]

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


def tasks_done(tasks) -> str:
    """``3/5 tasks done`` (completed or canceled), or "" without tasks."""
    if not tasks:
        return ""
    done = sum(1 for task in tasks if task.status in DONE_STATUSES)
    return f"{done}/{len(tasks)} tasks done"


def _row(kind: str, record, plan: SuccessPlan, win: timeline.Window, level: int, **extra) -> Row:
    if kind == "plan":
        span = timeline.resolve_span(plan.effective_date, plan.end_date)
    else:
        span = timeline.resolve_span(
            record.start_date, record.end_date, plan.effective_date, plan.end_date
        )
    bar = timeline.bar(win, span.start, span.end) if span else None
    return Row(kind=kind, record=record, level=level, span=span, bar=bar, **extra)


def plan_block(plan: SuccessPlan, win: timeline.Window, today: date) -> PlanBlock:
    """A plan's row and its children's rows, from the rows prefetched with it (no queries)."""
    rows: list[Row] = []
    all_kpis = []
    for objective in plan.objectives.all():
        kpis = list(objective.kpis.all())
        all_kpis.extend(kpis)
        rows.append(_row("objective", objective, plan, win, 1, badges=badge_counts(kpis, today)))
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
    return PlanBlock(
        plan=plan,
        row=_row("plan", plan, plan, win, 0),
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

    filter_form = AccountFilterForm(request.GET or None)
    accounts = []
    if filter_form.is_bound and filter_form.is_valid():
        accounts = list(filter_form.cleaned_data["account"])
    account_ids = [a.pk for a in accounts]

    page = paginate(
        request,
        selectors.tracker_plans(account_ids=account_ids or None),
        per_page=PLANS_PER_PAGE,
    )
    # Grouped by account in the selector's order (account name, then effective date);
    # keyed by id, so two accounts of the same name never merge or split.
    by_account: dict[int, list[PlanBlock]] = {}
    page.object_list = selectors.tracker_children(list(page.object_list))
    for plan in page.object_list:
        by_account.setdefault(plan.account_id, []).append(plan_block(plan, win, today))
    groups = [
        {"account": blocks[0].plan.account, "plans": blocks} for blocks in by_account.values()
    ]

    # Links keep the accounts chosen; zoom links keep the window's start where they can.
    kept = {"account": account_ids}
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
        "ticks": timeline.ticks(win),
        "today": today,
        "today_style": None if today_left is None else f"left: {today_left:.2f}%",
        "previous_url": _query(
            {**kept, "zoom": zoom.value, "start": win.previous_start.isoformat()}
        ),
        "today_url": _query({**kept, "zoom": zoom.value}),
        "next_url": _query({**kept, "zoom": zoom.value, "start": win.next_start.isoformat()}),
        "window_text": timeline.format_span(timeline.Span(win.start, win.last_day)),
        "errors": [e for e in (zoom_error, start_error) if e],
        "filter_form": filter_form,
        "accounts": accounts,
        "page": page,
        "groups": groups,
        "start_param": explicit_start,
        "here": request.get_full_path(),
    }
    if is_fragment(request):
        return render(request, "successplans/partials/tracker_body.html", context)
    return render(request, "successplans/tracker.html", context)


urlpatterns = [path("tracker/", tracker, name="tracker")]
