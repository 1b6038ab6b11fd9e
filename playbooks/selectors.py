"""Read queries for the success case pages, with their joins stated."""

from __future__ import annotations

import re
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField
from django.db.models import Exists
from django.db.models import F
from django.db.models import FilteredRelation
from django.db.models import Model
from django.db.models import OuterRef
from django.db.models import Prefetch
from django.db.models import Q
from django.db.models import QuerySet
from django.db.models import Subquery
from django.db.models.expressions import RawSQL

from .models import OPEN_MEETING_STATES
from .models import OPEN_PHASES
from .models import OPEN_TASK_STATES
from .models import RESOLVED_ACTIVITY_STATES
from .models import REVIEWABLE_PHASES
from .models import CaseActivity
from .models import CaseTask
from .models import JournalEntry
from .models import Meeting
from .models import PlaybookDefinition
from .models import SuccessCase


def case_list() -> QuerySet[SuccessCase]:
    return SuccessCase.objects.select_related("engagement__account", "assigned_to").order_by(
        "-opened_at", "-pk"
    )


def case_detail() -> QuerySet[SuccessCase]:
    """One case with everything its page shows, in a fixed number of queries.

    The engagement's contact is its account's primary contact, one row at most (a unique
    constraint): joined as ``case.primary_contact`` rather than read by one more query.
    """
    primary = FilteredRelation(
        "engagement__account__contacts",
        condition=Q(engagement__account__contacts__is_primary=True),
    )
    return (
        SuccessCase.objects.annotate(primary_contact=primary)
        .select_related(
            "engagement__account",
            "assigned_to",
            "opened_by",
            "closed_by",
            "closure_code",
            "playbook_version__definition",
            "primary_contact",
        )
        .prefetch_related(
            "squad",
            Prefetch(
                "activities",
                queryset=CaseActivity.objects.select_related("completed_by").order_by("position"),
            ),
            Prefetch("meetings", queryset=Meeting.objects.prefetch_related("attendees")),
            Prefetch("tasks", queryset=CaseTask.objects.select_related("assigned_to")),
            Prefetch("journal", queryset=JournalEntry.objects.select_related("author")),
        )
    )


#: How many squads a user must have been in before the home page finds their squads' open
#: cases by reading the open cases in order (``my_squad_cases``) rather than from their squads.
MANY_SQUADS = 1000


def _open_cases() -> QuerySet[SuccessCase]:
    return case_list().filter(written_in(SuccessCase, "phase", OPEN_PHASES))


def with_current_activity(cases: QuerySet[SuccessCase]) -> QuerySet[SuccessCase]:
    """Each case with ``current_activity``: the name of its first activity not yet resolved
    (a correlated subquery on the (case, position) index: computed for a page's rows only)."""
    current = (
        CaseActivity.objects.filter(case=OuterRef("pk"))
        .exclude(state__in=RESOLVED_ACTIVITY_STATES)
        .order_by("position")
        .values("name")[:1]
    )
    return cases.annotate(current_activity=Subquery(current))


def my_open_cases(user) -> QuerySet[SuccessCase]:
    """Open cases assigned to the user (My Work), soonest planned end first.

    Read along the partial index ``case_open_assignee`` (assignee, planned end).
    """
    return with_current_activity(
        _open_cases().filter(assigned_to=user).order_by("planned_end", "-opened_at", "-pk")
    )


def my_squad_cases(user) -> QuerySet[SuccessCase]:
    """Open cases the user is in the squad of but not assigned to (My Work), soonest
    planned end first.

    "In my squad" cannot be read along one index, so the read follows the user (one
    query of at most ``MANY_SQUADS`` index entries decides):

    - most users have been in fewer squads: their squad rows are read on the squad's
      user index and the open cases among them are sorted; nothing else is read;
    - a user in many squads is in the squad of many open cases too: the open cases are
      read in the page's order along ``case_open_planned`` (assignee and phase in the
      index, the squad asked with ``EXISTS`` on its (case, user) index) until a page of
      theirs is found.

    Each way alone is slow for the other kind of user: the ordered read passes every
    open case for a user with none, the squad read takes every squad an agent was ever
    in. The pk breaks ties so that pages are stable.
    """
    squads = SuccessCase.squad.through.objects.filter(user=user)
    if squads.order_by()[MANY_SQUADS - 1 : MANY_SQUADS].exists():
        mine = Exists(squads.filter(successcase=OuterRef("pk")))
    else:
        mine = Q(pk__in=squads.values("successcase_id"))
    return with_current_activity(
        _open_cases()
        .filter(mine)
        .exclude(assigned_to=user)
        .order_by("planned_end", "-opened_at", "-pk")
    )


def cases_taken_part_in(user) -> QuerySet[SuccessCase]:
    """Every case (open or not) the user is in the squad of: a participant's My Work,
    newest first."""
    squads = SuccessCase.squad.through.objects.filter(user=user)
    return case_list().filter(pk__in=squads.values("successcase_id"))


def my_meetings(user, *, start: datetime, end: datetime) -> QuerySet[Meeting]:
    """Draft and scheduled meetings the user attends that start between ``start`` and ``end``."""
    return (
        Meeting.objects.filter(
            attendees=user, state__in=OPEN_MEETING_STATES, start__gte=start, start__lt=end
        )
        .select_related("case")
        .order_by("start", "pk")
    )


def awaiting_review() -> QuerySet[SuccessCase]:
    """Closed and canceled cases nobody has reviewed yet, the longest waiting first."""
    return (
        SuccessCase.objects.filter(phase__in=REVIEWABLE_PHASES, reviewed_at__isnull=True)
        .filter(closed_at__isnull=False)
        .select_related("engagement__account", "assigned_to", "closure_code")
        .order_by("closed_at", "pk")
    )


def written_in(model: type[Model], field: str, values) -> RawSQL:
    """``<field> IN ('a', 'b')`` with the values written into the SQL, not bound.

    A partial index (``WHERE phase IN ('initiate', ...)``) serves a query only when the
    query states its condition. PostgreSQL plans with the parameters' values, but SQLite
    cannot tell that ``phase IN (?, ?, ?)`` is the same condition and scans the table.
    The values are our own constants (choice values, checked here), never user input.
    """
    if not all(re.fullmatch(r"[a-z_]+", value) for value in values):
        raise ValueError(f"Not a choice value: {values!r}")
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(field).column)}"
    listed = ", ".join(f"'{value}'" for value in values)
    return RawSQL(f"{column} IN ({listed})", (), output_field=BooleanField())


def my_open_tasks(user) -> QuerySet[CaseTask]:
    """Open success case tasks assigned to the user, soonest due first.

    Read along the partial index ``task_open_assignee`` (``written_in`` says why the
    states are written out): the user's open tasks in order, no sort, whatever the
    number of tasks they have completed.
    """
    return (
        CaseTask.objects.filter(written_in(CaseTask, "state", OPEN_TASK_STATES))
        .filter(assigned_to=user)
        .select_related("case")
        .order_by(F("due_date").asc(nulls_last=True), "number")
    )


def cases_of(**filters) -> QuerySet[SuccessCase]:
    """Cases of an account or engagement (``engagement__account=...``, ``engagement=...``)."""
    return case_list().filter(**filters)


def default_playbook_id() -> int | None:
    """The playbook New preselects."""
    return PlaybookDefinition.objects.filter(is_default=True).values_list("pk", flat=True).first()
