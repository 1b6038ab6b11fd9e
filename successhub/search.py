"""Global search (``/search/?q=``): the top bar's search box, for every role.

- An exact success case or task number (``SCS0001001``, ``SCTASK0001001``, any case, spaces
  around it ignored) opens the record: the case page; a task's own page for whoever may
  work its case, otherwise its case's page (the task is listed there).
- Anything else lists the matches by kind (accounts, engagements, success cases, success
  plans, objectives, business challenges), each kind only for users holding the permission
  its pages check (``PermissionRequired`` on those views), at most ``PER_KIND`` each: one
  query per kind, whatever the data size.
- PostgreSQL: full-text search (``django.contrib.postgres.search``; the ``simple``
  configuration, so names are not stemmed as English words, with the user's words as a
  ``websearch`` query: quotes and ``-word`` work); SQLite has no full-text index we use,
  so there every word must appear in one of the kind's fields (``icontains``).
- A search longer than ``MAX_LENGTH`` characters or with nothing to look for gets a clear
  message, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Q
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.roles import has_any_role
from engagements import selectors as engagement_selectors
from playbooks import selectors as case_selectors
from playbooks.models import CaseTask
from playbooks.models import can_work_case
from successplans.models import BusinessChallenge
from successplans.models import Objective
from successplans.models import SuccessPlan

MAX_LENGTH = 200
PER_KIND = 10
#: More words than this are ignored (each is one more condition per field).
MAX_WORDS = 6
CASE_NUMBER = re.compile(r"SCS\d+")
TASK_NUMBER = re.compile(r"SCTASK\d+")


@dataclass(frozen=True)
class Kind:
    """One group of results: who may see it, what is searched, how a row is shown."""

    key: str
    label: str
    permission: str
    rows: callable
    fields: tuple[str, ...]
    detail: callable  # row -> the line under its name


KINDS = (
    Kind(
        "accounts",
        "Accounts",
        "engagements.view_account",
        lambda: engagement_selectors.account_list(),
        ("name", "industry"),
        lambda a: f"{a.get_tier_display()} · {a.industry}" if a.industry else a.get_tier_display(),
    ),
    Kind(
        "engagements",
        "Engagements",
        "engagements.view_engagement",
        lambda: engagement_selectors.engagement_list(),
        ("name", "account__name"),
        lambda e: f"{e.account.name} · {e.get_state_display()}",
    ),
    Kind(
        "cases",
        "Success cases",
        "playbooks.view_successcase",
        lambda: case_selectors.case_list(),
        ("number", "short_description", "engagement__account__name"),
        lambda c: f"{c.short_description} · {c.engagement.account.name} · {c.state_label}",
    ),
    Kind(
        "plans",
        "Success plans",
        "successplans.view_successplan",
        lambda: (
            SuccessPlan.objects.filter(is_template=False)
            .select_related("account")
            .order_by("name", "pk")
        ),
        ("name", "account__name"),
        lambda p: f"{p.account.name if p.account else ''} · {p.get_status_display()}",
    ),
    Kind(
        "objectives",
        "Objectives",
        "successplans.view_objective",
        lambda: (
            Objective.objects.filter(plan__is_template=False)
            .select_related("plan__account")
            .order_by("name", "pk")
        ),
        ("name", "plan__name"),
        lambda o: f"{o.plan.name} · {o.get_status_display()}",
    ),
    Kind(
        "challenges",
        "Business challenges",
        "successplans.view_businesschallenge",
        lambda: (
            BusinessChallenge.objects.filter(plan__is_template=False)
            .select_related("plan", "category")
            .order_by("name", "pk")
        ),
        ("name", "plan__name"),
        lambda b: f"{b.plan.name} · {b.category.name if b.category else 'No category'}",
    ),
)


def matching(rows: QuerySet, fields: tuple[str, ...], term: str) -> QuerySet:
    """``rows`` that match ``term``: full-text on PostgreSQL, every word contained on SQLite."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery
        from django.contrib.postgres.search import SearchVector

        vector = SearchVector(*fields, config="simple")
        query = SearchQuery(term, config="simple", search_type="websearch")
        return rows.annotate(search_document=vector).filter(search_document=query)
    for word in term.split()[:MAX_WORDS]:
        rows = rows.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields)))
    return rows


@dataclass
class Group:
    kind: Kind
    rows: list
    more: bool


def results(user, term: str) -> list[Group]:
    """Up to ``PER_KIND`` matches of each kind ``user`` may see (one query per kind)."""
    groups = []
    for kind in KINDS:
        if not user.has_perm(kind.permission):
            continue
        found = list(matching(kind.rows(), kind.fields, term)[: PER_KIND + 1])
        for row in found:
            row.search_detail = kind.detail(row)
        groups.append(Group(kind, found[:PER_KIND], len(found) > PER_KIND))
    return groups


def _record_url(user, term: str) -> str | None:
    """Where an exact case or task number leads, if ``user`` may see that record."""
    number = term.upper()
    if not user.has_perm("playbooks.view_successcase"):
        return None
    if CASE_NUMBER.fullmatch(number):
        case = case_selectors.case_list().filter(number=number).first()
        return case.get_absolute_url() if case else None
    if TASK_NUMBER.fullmatch(number):
        task = CaseTask.objects.filter(number=number).select_related("case").first()
        if task is None:
            return None
        if task.case.is_open and can_work_case(task.case, user):
            return task.get_absolute_url()
        return task.case.get_absolute_url()
    return None


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=MAX_LENGTH,
        error_messages={
            "required": "Type a name, a word or a number (SCS…, SCTASK…) to search for.",
            "max_length": f"Search for at most {MAX_LENGTH} characters.",
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    if not has_any_role(request.user):
        return render(request, "403.html", {"no_role": True}, status=403)
    form = SearchForm(request.GET, auto_id="search-%s")
    context = {"form": form}
    if form.is_valid():
        term = form.cleaned_data["q"]
        url = _record_url(request.user, term)
        if url:
            return redirect(url)
        context["groups"] = results(request.user, term)
        context["found"] = any(group.rows for group in context["groups"])
    return render(request, "successhub/search.html", context)
