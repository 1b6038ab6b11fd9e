"""Read queries for the success case pages, with their joins stated."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from .models import (
    OPEN_PHASES,
    OPEN_TASK_STATES,
    CaseActivity,
    CaseTask,
    JournalEntry,
    Meeting,
    SuccessCase,
)


def case_list() -> QuerySet[SuccessCase]:
    return SuccessCase.objects.select_related("engagement__account", "assigned_to").order_by(
        "-opened_at", "-pk"
    )


def case_detail() -> QuerySet[SuccessCase]:
    """One case with everything its page shows, in a fixed number of queries."""
    return SuccessCase.objects.select_related(
        "engagement__account", "assigned_to", "opened_by", "closed_by", "closure_code"
    ).prefetch_related(
        "squad",
        Prefetch(
            "activities",
            queryset=CaseActivity.objects.select_related("completed_by").order_by("position"),
        ),
        Prefetch("meetings", queryset=Meeting.objects.prefetch_related("attendees")),
        Prefetch("tasks", queryset=CaseTask.objects.select_related("assigned_to")),
        Prefetch("journal", queryset=JournalEntry.objects.select_related("author")),
    )


def my_open_cases(user) -> QuerySet[SuccessCase]:
    """Open cases the user is assigned to or in the squad of (home page), soonest planned end first.

    The squad is asked with ``EXISTS`` on its (case, user) unique index, not
    joined: a join repeats a case for each matching squad row and needed a
    ``DISTINCT`` over every open case. The open cases are read along the
    partial index on open cases (``case_open_assignee``); the pk breaks ties so
    that pages are stable.
    """
    in_squad = SuccessCase.squad.through.objects.filter(successcase=OuterRef("pk"), user=user)
    return (
        case_list()
        .filter(Q(assigned_to=user) | Exists(in_squad), phase__in=OPEN_PHASES)
        .order_by("planned_end", "-opened_at", "-pk")
    )


def my_open_tasks(user) -> QuerySet[CaseTask]:
    """Open success case tasks assigned to the user, soonest due first (home page)."""
    return (
        CaseTask.objects.filter(assigned_to=user, state__in=OPEN_TASK_STATES)
        .select_related("case")
        .order_by(F("due_date").asc(nulls_last=True), "number")
    )


def cases_of(**filters) -> QuerySet[SuccessCase]:
    """Cases of an account or engagement (``engagement__account=...``, ``engagement=...``)."""
    return case_list().filter(**filters)
