"""Read queries for the success case pages, with their joins stated."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import CaseActivity, CaseTask, JournalEntry, Meeting, SuccessCase


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
