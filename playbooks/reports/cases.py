"""The Review list: its cases, their time in phase and meeting and task counts; the timeline."""

from __future__ import annotations

from django.db.models import F
from django.db.models import Func
from django.db.models import IntegerField
from django.db.models import OuterRef
from django.db.models import QuerySet
from django.db.models import Subquery

from ..models import REVIEWABLE_PHASES
from ..models import CaseTask
from ..models import JournalEntry
from ..models import Meeting
from ..models import Phase
from ..models import SuccessCase
from .expressions import Elapsed

#: The lanes whose durations are measured, with the annotation that holds each.
PHASE_DURATIONS = (
    (Phase.INITIATE, "initiate_time"),
    (Phase.ASSIST, "assist_time"),
    (Phase.REVIEW_CLOSE, "review_close_time"),
)


# -- per-case figures ----------------------------------------------------------------------------
def _durations() -> dict[str, Elapsed]:
    """Time in each lane, from the stored moments: from entering it to leaving it.

    Initiate is entered at ``opened_at``, each later lane when the case left
    the one before.
    """
    return {
        "initiate_time": Elapsed(F("opened_at"), F("initiate_ended_at")),
        "assist_time": Elapsed(F("initiate_ended_at"), F("assist_ended_at")),
        "review_close_time": Elapsed(F("assist_ended_at"), F("review_close_ended_at")),
    }


def count_of(model: type[Meeting] | type[CaseTask]) -> Subquery:
    """How many ``model`` rows (meetings, tasks) the case has, as a subquery (no row fan-out).

    ``COUNT`` as a plain function, so that the subquery has no GROUP BY of its
    own: it always gives one row, 0 for none (no ``Coalesce`` needed).
    """
    counts = (
        model.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values(n=Func("pk", function="COUNT", output_field=IntegerField()))
    )
    return Subquery(counts, output_field=IntegerField())


def review_cases() -> QuerySet[SuccessCase]:
    """Closed and canceled cases with what the Review list shows, most recently closed first.

    The order is the one of the ``case_closed_order`` index: a page of the
    list, and the export, read the cases in that order without sorting
    (``in_list_order``).
    """
    return (
        SuccessCase.objects.filter(phase__in=REVIEWABLE_PHASES)
        .select_related("engagement__account", "assigned_to", "closure_code", "reviewed_by")
        .order_by("-closed_at", "-pk")
    )


def in_list_order(queryset: QuerySet[SuccessCase]) -> QuerySet[SuccessCase]:
    """The Review list's rows, said so that the database reads them along its index.

    ``closed_at`` is set on every closed and canceled case (the model's
    constraints), so the filter changes no row; it is what lets PostgreSQL and
    SQLite read a page of the list, and the export, along the partial
    ``case_closed_order`` index (most recently closed first) without sorting.
    """
    return queryset.filter(closed_at__isnull=False)


def with_case_figures(queryset: QuerySet[SuccessCase]) -> QuerySet[SuccessCase]:
    """Add each case's time in phase and its numbers of meetings and tasks.

    ``initiate_time``, ``assist_time`` and ``review_close_time`` are durations
    (None for a phase the case never reached); ``meeting_count`` and
    ``task_count`` are integers. ``cycle_time`` is a field of the case.
    """
    return queryset.annotate(
        **_durations(), meeting_count=count_of(Meeting), task_count=count_of(CaseTask)
    )


def timeline(case: SuccessCase) -> QuerySet[JournalEntry]:
    """Every journal entry of the case (comments, work notes, changes), oldest first."""
    return case.journal.select_related("author").order_by("created_at", "pk")
