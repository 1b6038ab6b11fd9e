"""Writing the case journal: change entries, the Review's phase end times, the admin's edits."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from core.formatting import person

from ..models import CaseTask
from ..models import JournalEntry
from ..models import Meeting
from ..models import Phase
from ..models import SuccessCase


# -- journal ---------------------------------------------------------------------
def _log(case: SuccessCase, user, field: str, old: object, new: object) -> JournalEntry:
    return JournalEntry(
        case=case,
        author=user,
        kind=JournalEntry.Kind.CHANGE,
        field=field,
        old_value=str(old if old not in (None, "") else "—")[:300],
        new_value=str(new if new not in (None, "") else "—")[:300],
    )


def _save_log(entries: Iterable[JournalEntry]) -> None:
    JournalEntry.objects.bulk_create(list(entries))


# -- what the Review figures read --------------------------------------------------------
#: The field that keeps when a case left each lane (moving on, closing or canceling).
PHASE_ENDED_AT = {
    Phase.INITIATE: "initiate_ended_at",
    Phase.ASSIST: "assist_ended_at",
    Phase.REVIEW_CLOSE: "review_close_ended_at",
}


def _leave_phase(case: SuccessCase, user, old_phase: str, new_label: str) -> JournalEntry:
    """Record that ``case`` left ``old_phase``: on the row, and as the journal's Phase change.

    Both carry the same moment, so the Review figures read from the row agree
    with the timeline. Closing and canceling also set the cycle time.
    """
    moment = case.closed_at if case.closed_at is not None else timezone.now()
    setattr(case, PHASE_ENDED_AT[old_phase], moment)
    if case.closed_at is not None:
        case.cycle_time = case.closed_at - case.opened_at
    entry = _log(case, user, "Phase", Phase(old_phase).label, new_label)
    entry.created_at = moment
    return entry


def record_label(record: Meeting | CaseTask) -> str:
    """How a meeting or task is named in the journal ("SCTASK0001001", "Meeting Kickoff")."""
    return record.number if isinstance(record, CaseTask) else f"Meeting {record.subject}"


def people(users) -> str:
    """Users as the journal writes them: each as on every page, sorted, comma-separated."""
    return ", ".join(sorted(person(u) for u in users))


# -- the Django admin's own edits ------------------------------------------------------
# The admin saves rows itself (Django's ModelAdmin); what it changed reaches the case's
# journal through these, so the activity stream and Review see admin edits too.


@transaction.atomic
def journal_admin_changes(
    *, case: SuccessCase, user, changes: Iterable[tuple[str, object, object]]
) -> None:
    """Journal ``(field label, old, new)`` changes an admin made to ``case`` or its records."""
    JournalEntry.objects.bulk_create(
        _log(case, user, field, old, new) for field, old, new in changes
    )
