"""The Review list's rows, read as values and printed once.

As for the Success Plans tab (``successplans.selectors.plan_rows``): a page of 25 cases
read as models built five instances a row (the case and its engagement, account, assignee
and reviewer), and the row's template ran a dozen lookups and seven filters; here one
``values()`` row becomes a ``ReviewRow`` whose fields are what the cells print.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from core.formatting import NONE
from core.formatting import badge_class
from core.formatting import duration
from core.formatting import local_day
from core.formatting import person_fields
from core.formatting import person_in
from core.links import record_url

from ..models import STATE_LABELS
from ..models import SuccessCase
from .cases import with_case_figures

_FIELDS = (
    "pk",
    "number",
    "short_description",
    "engagement__name",
    "engagement__account__name",
    "phase",
    "closure_code__name",
    "opened_at",
    "closed_at",
    "cycle_time",
    "reviewed_at",
)
#: Read with the page's counts, by primary key: joined to the list's query, the two people
#: tripled PostgreSQL's planning time for it at 100,000 cases (2.8 ms against 0.6).
_PAGE_FIELDS = (
    "pk",
    "meeting_count",
    "task_count",
    *person_fields("assigned_to"),
    *person_fields("reviewed_by"),
)


@dataclass(frozen=True)
class ReviewRow:
    """One closed or canceled case as the Review list prints it."""

    number: str
    url: str  # its Review page
    short_description: str
    account_name: str
    engagement_name: str
    state_label: str  # "Closed" or "Canceled"
    state_class: str  # its badge's CSS classes
    closure_code: str  # an em dash without one
    assigned_to: str  # the person's label, or an em dash
    opened: str
    closed: str
    cycle_time: str  # "9.4 days", an em dash without one
    meeting_count: int
    task_count: int
    reviewed: str  # the day it was marked Reviewed, empty if not
    reviewed_by: str


def review_list_rows(cases: QuerySet[SuccessCase]) -> list[ReviewRow]:
    """One page of cases (the paginator's slice, not yet read) as rows, read as values, with
    their meetings, tasks and people (one more query)."""
    values = list(cases.values(*_FIELDS))
    if not values:
        return []
    more = {
        row["pk"]: row
        for row in with_case_figures(
            SuccessCase.objects.filter(pk__in=[v["pk"] for v in values]).order_by()
        ).values(*_PAGE_FIELDS)
    }
    return [_row(v | more[v["pk"]]) for v in values]


def _row(v: dict) -> ReviewRow:
    state = STATE_LABELS.get(v["phase"], "Open")
    return ReviewRow(
        number=v["number"],
        url=record_url("playbooks:review-case", v["number"]),
        short_description=v["short_description"],
        account_name=v["engagement__account__name"],
        engagement_name=v["engagement__name"],
        state_label=state,
        state_class=badge_class(state),
        closure_code=v["closure_code__name"] or NONE,
        assigned_to=person_in(v, "assigned_to"),
        opened=local_day(v["opened_at"]),
        closed=local_day(v["closed_at"]),
        cycle_time=duration(v["cycle_time"]),
        meeting_count=v["meeting_count"],
        task_count=v["task_count"],
        reviewed=local_day(v["reviewed_at"]),
        reviewed_by=person_in(v, "reviewed_by"),
    )
