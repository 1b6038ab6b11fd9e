"""Operations on success cases that change several rows, each in one transaction.

Every operation locks the case row first (``select_for_update``), so two agents
pressing Mark Complete or Close on the same case at the same moment are served
one after the other: the second sees the first's result and is told so. Every
change is written to the case's journal (who, when, from → to).

The operations live in the modules below and are re-exported here, so callers
use ``playbooks.services.<name>``.
"""

from core.errors import DomainError

from .activities import ACTIVITY_HANDLERS, activity_complete, case_update
from .cases import (
    CancelPreview,
    Created,
    _advance,
    activity_from,
    cancel_preview,
    success_case_cancel,
    success_case_close,
    success_case_create,
    success_case_mark_reviewed,
)
from .common import CASE_PREFIX, TASK_PREFIX, _lock_case, format_number, number_peek, number_take
from .journal import PHASE_ENDED_AT, journal_admin_changes, people, record_label
from .records import (
    MEETING_TRANSITIONS,
    TASK_TRANSITIONS,
    meeting_create,
    record_transition,
    record_update,
    task_create,
)

__all__ = [
    "ACTIVITY_HANDLERS",
    "CASE_PREFIX",
    "MEETING_TRANSITIONS",
    "PHASE_ENDED_AT",
    "TASK_PREFIX",
    "TASK_TRANSITIONS",
    "CancelPreview",
    "Created",
    "DomainError",
    "_advance",
    "_lock_case",
    "activity_complete",
    "activity_from",
    "cancel_preview",
    "case_update",
    "format_number",
    "journal_admin_changes",
    "meeting_create",
    "number_peek",
    "number_take",
    "people",
    "record_label",
    "record_transition",
    "record_update",
    "success_case_cancel",
    "success_case_close",
    "success_case_create",
    "success_case_mark_reviewed",
    "task_create",
]
