"""The Account 360: the accounts list with health, and the account page that composes facts,
contacts, health (explained, trend, manual measures, override), cases, plans, business
challenges and the timeline (issue 15).

Every page asks for ``view_account``; each change asks for its own permission (Customer
Success holds them) in ``_account_to`` before anything else, so the other roles get 403 and
nothing changes. A change is one service call; its refusal shows next to the field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from core.dates import DateInRangeField
from core.filters import YesNoFilter
from core.forms import date_input
from core.htmx import render_page
from core.lists import filtered_rows
from core.lists import list_page
from core.pagination import PANEL_SIZE
from core.pagination import window
from engagements import selectors as engagement_selectors
from engagements import services as engagement_services
from engagements.filters import AccountFilter
from engagements.forms import AccountActivityForm
from engagements.forms import AccountFactsForm
from engagements.forms import ContactForm
from engagements.models import Account
from health import selectors as health_selectors
from health import services as health_services
from health.forms import ManualValueForm
from health.forms import OverrideForm
from health.models import Colour
from health.models import HealthSettings
from health.scoring import Board
from health.timeline import KINDS
from health.timeline import Cursor
from health.timeline import timeline
from playbooks import selectors as case_selectors
from successplans import selectors as plan_selectors
from successplans.selectors.my_work import add_badge_counts
from successplans.selectors.my_work import add_task_progress
from successplans.views.related import save_valid

DROP = 10  # "dropped 10+ points in 30 days"
EXPORT_CHUNK = 500

view_accounts = permission_required("engagements.view_account", raise_exception=True)


def _account_to(request: HttpRequest, pk: int, perm: str | None = None) -> Account:
    """The account for this user: 403 without ``perm`` (when a change asks for one), else 404
    when it does not exist."""
    if perm and not request.user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(engagement_selectors.account_list().select_related("csm__user"), pk=pk)


# -- the list ----------------------------------------------------------------------------------
class NullsLastOrdering(django_filters.OrderingFilter):
    """Accounts not scored yet (no stored row) sort after the scored ones either way, as
    PostgreSQL and SQLite would not agree on where NULL goes."""

    NULLABLE = {"health_score", "health_change"}

    def get_ordering_value(self, param: str):
        value = super().get_ordering_value(param)
        name = value.lstrip("-")
        if name not in self.NULLABLE:
            return value
        return F(name).desc(nulls_last=True) if value[0] == "-" else F(name).asc(nulls_last=True)


class AccountHealthFilter(AccountFilter):
    colour = django_filters.ChoiceFilter(
        method="in_colour", choices=Colour.choices, empty_label="Any colour", label="Health"
    )
    dropped = YesNoFilter(method="dropped_by", label=f"Dropped {DROP}+ points in 30 days")
    sort = NullsLastOrdering(
        fields=(
            ("name", "name"),
            ("industry", "industry"),
            ("tier", "tier"),
            ("owner__username", "owner"),
            ("engagement_count", "engagements"),
            ("health_score", "score"),
            ("health_change", "change"),
        ),
        label="Sort",
    )

    class Meta(AccountFilter.Meta):
        fields = [*AccountFilter.Meta.fields, "colour", "dropped"]

    def __init__(self, *args, thresholds: HealthSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.thresholds = thresholds

    def in_colour(self, queryset, name, value):
        """A colour is a range of stored scores (the thresholds read now): an index range on
        ``AccountHealth.score``."""
        green, amber = self.thresholds.green_from, self.thresholds.amber_from
        ranges = {
            Colour.GREEN: {"health_score__gte": green},
            Colour.AMBER: {"health_score__gte": amber, "health_score__lt": green},
            Colour.RED: {"health_score__lt": amber},
        }
        return queryset.filter(**ranges[value]) if value else queryset

    def dropped_by(self, queryset, name, value):
        if value is None:
            return queryset
        dropped = {"health_change__lte": -DROP}
        return queryset.filter(**dropped) if value else queryset.exclude(**dropped)


def _health_filter(request: HttpRequest, thresholds: HealthSettings) -> AccountHealthFilter:
    """The accounts with their stored scores (``AccountHealth``: a join, no scoring), filtered
    and sorted as the query string says."""
    rows = health_selectors.with_health(engagement_selectors.account_list())
    return AccountHealthFilter(request.GET, queryset=rows, thresholds=thresholds)


@login_required
@view_accounts
def account_list(request: HttpRequest) -> HttpResponse:
    thresholds = HealthSettings.current()
    return list_page(
        request,
        _health_filter(request, thresholds),
        template="engagements/account_list.html",
        fragment="engagements/partials/account_list_results.html",
        complete=lambda rows: health_selectors.finish_rows(rows, thresholds),
    )


EXPORT_HEADER = [
    "Account",
    "Industry",
    "Segment",
    "Lifecycle stage",
    "Owner",
    "CSM",
    "ARR",
    "Currency",
    "Renewal date",
    "Health score",
    "Colour",
    "Change over 30 days",
]


def _text(value) -> str:
    """Keep a spreadsheet from reading a text as a formula (CSV injection), as the Review
    export does: a leading =, +, - or @ (after spaces) or a tab/CR gets a ' in front."""
    value = "" if value is None else str(value)
    if value[:1] in ("\t", "\r") or value.lstrip()[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _chunks(rows, size: int) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _export_rows(rows, thresholds: HealthSettings) -> Iterator[str]:
    """The CSV, 500 rows at a time (an unscored account is scored live with its chunk)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    for chunk in _chunks(rows.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        for a in health_selectors.finish_rows(chunk, thresholds):
            writer.writerow(
                [
                    _text(a.name),
                    _text(a.industry),
                    a.get_tier_display(),
                    a.get_lifecycle_stage_display(),
                    _text(a.owner.get_full_name() or a.owner.get_username() if a.owner else ""),
                    _text(str(a.csm) if a.csm_id else ""),
                    "" if a.arr is None else f"{a.arr:.2f}",
                    a.currency,
                    a.renewal_date.isoformat() if a.renewal_date else "",
                    a.health_score,
                    a.health_colour,
                    "" if a.health_change is None else a.health_change,
                ]
            )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@login_required
@view_accounts
def account_export(request: HttpRequest) -> HttpResponse:
    """The filtered, sorted list as CSV (every row, not one page)."""
    thresholds = HealthSettings.current()
    rows = filtered_rows(_health_filter(request, thresholds)).select_related("csm__user")
    response = StreamingHttpResponse(_export_rows(rows, thresholds), content_type="text/csv")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="accounts-{stamp}.csv"'
    return response


# -- the account page ------------------------------------------------------------------------
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


def _timeline(request: HttpRequest, account: Account):
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


@login_required
@view_accounts
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_to(request, pk)
    board = Board.load()
    context = {
        "account": account,
        "health": health_selectors.explain(account, board),
        "trend": health_selectors.chart(
            health_selectors.trend(account, today=board.today), today=board.today
        ),
        "renewal_in": (account.renewal_date - board.today).days if account.renewal_date else None,
        "contacts": list(account.contacts.all()),
        "engagements": _panel(
            request, engagement_selectors.account_engagements(account), "engagements"
        ),
        **_timeline(request, account),
    }
    if request.user.has_perm("health.add_manualvalue"):
        context["manual_form"] = ManualValueForm()
    if request.user.has_perm("playbooks.view_successcase"):
        cases = case_selectors.cases_of(engagement__account=account)
        context["cases"] = _panel(request, cases, "cases")
    if request.user.has_perm("successplans.view_successplan"):
        plans = _panel(
            request, plan_selectors.plan_list().filter(account=account, is_template=False), "plans"
        )
        # KPI badge counts and progress of the panel's plans: one query each at any size.
        add_badge_counts(plans.object_list, today=board.today)
        add_task_progress(plans.object_list)
        context["plans"] = plans
        challenges = plan_selectors.challenge_list().filter(plan__account=account)
        context["challenges"] = _panel(request, challenges, "challenges")
    return render(request, "successhub/account_detail.html", context)


def _panel(request: HttpRequest, rows, name: str):
    return window(request, rows, PANEL_SIZE, param=f"{name}_page")


@login_required
@view_accounts
def account_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline alone: its next page or a new filter (htmx swaps it in place)."""
    account = _account_to(request, pk)
    context = {"account": account, **_timeline(request, account)}
    return render_page(
        request,
        "engagements/account_timeline.html",
        "engagements/partials/account_timeline.html",
        context,
    )


# -- changes ---------------------------------------------------------------------------------
def _form_page(request, account, form, save, *, title: str, submit: str, done: str, anchor: str):
    """One service call when the post is valid (then back to the account page); else the
    form, with the service's refusal next to its field."""
    if save_valid(request, form, save) is not None:
        messages.success(request, done)
        return redirect(account.get_absolute_url() + anchor)
    context = {"account": account, "form": form, "title": title, "submit": submit}
    return render(request, "engagements/account_form.html", context)


@login_required
@view_accounts
def account_facts(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_to(request, pk, "engagements.change_account")
    form = AccountFactsForm(request.POST or None, instance=account)

    def save(data):
        return engagement_services.account_facts_update(
            account=account, data=data, user=request.user
        )

    return _form_page(
        request,
        account,
        form,
        save,
        title="Edit account facts",
        submit="Save facts",
        done="Account facts saved.",
        anchor="#facts",
    )


@login_required
@view_accounts
def contact_edit(request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    account = _account_to(request, pk, "engagements.add_contact")
    contact = None
    if contact_pk is not None:
        if not request.user.has_perm("engagements.change_contact"):
            raise PermissionDenied
        contact = get_object_or_404(account.contacts, pk=contact_pk)
    form = ContactForm(request.POST or None, instance=contact)

    def save(data):
        return engagement_services.contact_save(
            account=account, contact=contact, data=data, user=request.user
        )

    return _form_page(
        request,
        account,
        form,
        save,
        title="Edit contact" if contact else "Add contact",
        submit="Save contact",
        done="Contact saved.",
        anchor="#contacts",
    )


@login_required
@view_accounts
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_to(request, pk, "engagements.add_accountactivity")
    form = AccountActivityForm(
        request.POST or None, account=account, initial={"date": timezone.localdate()}
    )

    def save(data):
        return engagement_services.account_activity_log(
            account=account,
            kind=data["kind"],
            date=data["date"],
            text=data["text"],
            contact_ids=[c.pk for c in data["contacts"]],
            user=request.user,
        )

    return _form_page(
        request,
        account,
        form,
        save,
        title="Log an activity",
        submit="Log activity",
        done="Activity logged.",
        anchor="#timeline",
    )


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


@login_required
@view_accounts
def health_change(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Set a manual measure or override the score (``HEALTH_CHANGES[what]``)."""
    change = HEALTH_CHANGES[what]
    account = _account_to(request, pk, change.perm)
    return _form_page(
        request,
        account,
        change.form(request.POST or None),
        lambda data: change.save(account, request.user, data),
        title=change.title,
        submit=change.submit,
        done=change.done,
        anchor="#health",
    )


#: Joined to the ``engagements`` namespace in successhub/urls.py.
urlpatterns = [
    path("accounts/", account_list, name="account-list"),
    path("accounts/export/", account_export, name="account-export"),
    path("accounts/<int:pk>/", account_detail, name="account-detail"),
    path("accounts/<int:pk>/timeline/", account_timeline, name="account-timeline"),
    path("accounts/<int:pk>/facts/", account_facts, name="account-facts"),
    path("accounts/<int:pk>/contacts/new/", contact_edit, name="account-contact-new"),
    path("accounts/<int:pk>/contacts/<int:contact_pk>/", contact_edit, name="account-contact-edit"),
    path("accounts/<int:pk>/activities/new/", activity_new, name="account-activity-new"),
    path(
        "accounts/<int:pk>/health/manual/",
        health_change,
        {"what": "manual"},
        name="account-health-manual",
    ),
    path(
        "accounts/<int:pk>/health/override/",
        health_change,
        {"what": "override"},
        name="account-health-override",
    ),
]
