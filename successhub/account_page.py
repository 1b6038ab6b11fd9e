"""The account page (Account 360) assembled: what each panel shows, read in a fixed number of
queries whatever the account holds (issue 11), and the health forms' table. The views are in
``successhub.accounts``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.db.models import OuterRef
from django.db.models import QuerySet
from django.db.models import Subquery
from django.http import HttpRequest

from core.dates import DateInRangeField
from core.forms import date_input
from core.pagination import PANEL_SIZE
from core.pagination import window
from core.queries import subquery_count
from engagements import selectors as engagement_selectors
from engagements.models import Account
from health import selectors as health_selectors
from health import services as health_services
from health.forms import ManualValueForm
from health.forms import OverrideForm
from health.models import HealthSettings
from health.models import Measure
from health.models import Rule
from health.scoring import Board
from health.scoring import finish
from health.scoring import scored
from health.timeline import KINDS
from health.timeline import Cursor
from health.timeline import timeline
from playbooks import selectors as case_selectors
from successplans import selectors as plan_selectors
from successplans.models import DONE_STATUSES
from successplans.models import ObjectiveKPI
from successplans.models import PlaybookTask
from successplans.selectors.my_work import BADGES
from successplans.selectors.my_work import kpi_badge


class TimelineFilterForm(forms.Form):
    """The timeline's filter: kinds and a date range (the timeline is not a queryset)."""

    kind = forms.MultipleChoiceField(
        choices=list(KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Show",
    )
    start = DateInRangeField(required=False, label="From", widget=date_input())
    end = DateInRangeField(required=False, label="To", widget=date_input())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the range cannot be before its start.")
        return data


def timeline_context(request: HttpRequest, account: Account) -> dict:
    """The timeline's page (filtered as the query string says, from ``?before=``), its filter
    and the query its Older link keeps."""
    form = TimelineFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    page = timeline(
        account,
        kinds=data.get("kind") or None,
        start=data.get("start"),
        end=data.get("end"),
        cursor=Cursor.parse(request.GET.get("before")),
    )
    if form.is_bound and not valid:
        page.entries, page.next_cursor = [], None
    params = request.GET.copy()
    params.pop("before", None)
    return {"timeline": page, "timeline_form": form, "timeline_query": params.urlencode()}


def panel(request: HttpRequest, rows, name: str):
    return window(request, rows, PANEL_SIZE, param=f"{name}_page")


def health_board() -> tuple[Board, list[Measure]]:
    """The scoring board and the manual measures the health form offers, in one query: the
    active measures, each row carrying the thresholds (``HealthSettings.current()``'s row).
    The board scores with the measures that weigh; the form offers every active manual
    one, as ``ManualValueForm``'s own queryset does. Without active measures, or without a
    thresholds row, ``HealthSettings.current()`` answers on its own."""
    first = HealthSettings.objects.order_by("pk")
    active = list(
        Measure.objects.filter(active=True).annotate(
            green_from=Subquery(first.values("green_from")[:1]),
            amber_from=Subquery(first.values("amber_from")[:1]),
        )
    )
    if active and active[0].green_from is not None:
        thresholds = HealthSettings(
            green_from=active[0].green_from, amber_from=active[0].amber_from
        )
    else:
        thresholds = HealthSettings.current()
    board = Board(measures=[m for m in active if m.weight > 0], settings=thresholds)
    return board, [m for m in active if m.rule == Rule.MANUAL]


def scored_accounts(board: Board) -> QuerySet[Account]:
    """The accounts as the account page reads its one: with the score's inputs, points and
    override (``scored(detail=True)``), so ``health_selectors.explain`` reads no account."""
    rows = engagement_selectors.account_list().select_related("csm__user")
    return scored(rows, board, detail=True)


def _manual_form(measures: list[Measure]) -> ManualValueForm:
    """The manual measure form with its choices given (the measures read already), so
    rendering it reads nothing; a post is still validated against the field's queryset."""
    form = ManualValueForm()
    field = form.fields["measure"]
    field.choices = [(m.pk, field.label_from_instance(m)) for m in measures]
    return form


def _plans_panel(request: HttpRequest, account: Account, *, today: date):
    """The account's plans, a panel's page, each with its KPI badge counts (``badge_counts``
    in ``BADGES`` order, zeros left out, as ``add_badge_counts`` sets them) and its playbook
    tasks' progress (as ``add_task_progress`` sets it), read as correlated counts in the
    panel's one query: a handful of plans, so one query instead of three."""
    kpis = ObjectiveKPI.objects.filter(objective__plan=OuterRef("pk"))
    kpis = kpis.annotate(badge=kpi_badge(today))
    tasks = PlaybookTask.objects.filter(plan=OuterRef("pk"))
    rows = (
        plan_selectors.plan_list()
        .filter(account=account, is_template=False)
        .annotate(
            task_count=subquery_count(tasks),
            tasks_done=subquery_count(tasks.filter(status__in=DONE_STATUSES)),
            **{f"badge_{i}": subquery_count(kpis.filter(badge=b)) for i, b in enumerate(BADGES)},
        )
    )
    plans = panel(request, rows, "plans")
    for plan in plans.object_list:
        counts = [(b, getattr(plan, f"badge_{i}")) for i, b in enumerate(BADGES)]
        plan.badge_counts = [(badge, n) for badge, n in counts if n]
        done, total = plan.tasks_done, plan.task_count
        plan.progress = round(100 * done / total) if total else None
    return plans


def detail_context(
    request: HttpRequest, account: Account, board: Board, manual_measures: list[Measure]
) -> dict:
    """Everything the account page shows, for this user (a panel the user may not see is not
    read); ``account`` is a row of ``scored_accounts(board)``."""
    finish([account], board)
    context = {
        "account": account,
        "health": health_selectors.explain(account, board, row=account),
        "trend": health_selectors.chart(
            health_selectors.trend(account, today=board.today), today=board.today
        ),
        "renewal_in": (account.renewal_date - board.today).days if account.renewal_date else None,
        "contacts": list(account.contacts.all()),
        "engagements": panel(
            request, engagement_selectors.account_engagements(account), "engagements"
        ),
        **timeline_context(request, account),
    }
    if request.user.has_perm("health.add_manualvalue"):
        context["manual_form"] = _manual_form(manual_measures)
    if request.user.has_perm("playbooks.view_successcase"):
        cases = case_selectors.cases_of(engagement__account=account)
        context["cases"] = panel(request, cases, "cases")
    if request.user.has_perm("successplans.view_successplan"):
        context["plans"] = _plans_panel(request, account, today=board.today)
        challenges = plan_selectors.challenge_list().filter(plan__account=account)
        context["challenges"] = panel(request, challenges, "challenges")
    return context


@dataclass(frozen=True)
class HealthChange:
    """One of the account page's health forms: who may, the form, the service, the words."""

    perm: str
    form: type[forms.Form]
    save: Callable[..., object]  # (account, user, cleaned data) -> the service's result
    title: str
    submit: str
    done: str


HEALTH_CHANGES = {
    "manual": HealthChange(
        "health.add_manualvalue",
        ManualValueForm,
        lambda account, user, data: health_services.manual_value_set(
            account=account,
            measure_id=data["measure"].pk,
            value=data["value"],
            note=data["note"],
            user=user,
        ),
        title="Set a manual measure",
        submit="Save",
        done="Health measure saved.",
    ),
    "override": HealthChange(
        "health.add_override",
        OverrideForm,
        lambda account, user, data: health_services.override_set(
            account=account, user=user, **data
        ),
        title="Override the health score",
        submit="Override",
        done="Health score overridden.",
    ),
}
