"""Operations on success cases that change several rows, each in one transaction.

Every operation locks the case row first (``select_for_update``), so two agents
pressing Mark Complete or Close on the same case at the same moment are served
one after the other: the second sees the first's result and is told so. Every
change is written to the case's journal (who, when, from → to).

The operations live in the modules below and are re-exported here, so callers
use ``playbooks.services.<name>``.
"""

from core.errors import DomainError

from .activities import ACTIVITY_HANDLERS
from .activities import activity_complete
from .activities import case_update
from .cases import CancelPreview
from .cases import Created
from .cases import _advance
from .cases import activity_from
from .cases import cancel_preview
from .cases import success_case_cancel
from .cases import success_case_close
from .cases import success_case_create
from .cases import success_case_mark_reviewed
from .common import CASE_PREFIX
from .common import TASK_PREFIX
from .common import _lock_case
from .common import format_number
from .common import number_peek
from .common import number_take
from .journal import PHASE_ENDED_AT
from .journal import journal_admin_changes
from .journal import people
from .journal import record_label
from .playbooks import playbook_export
from .playbooks import playbook_import
from .playbooks import playbook_make_default
from .playbooks import playbook_version_current
from .playbooks import playbook_version_for_editing
from .playbooks import version_in_use
from .records import MEETING_TRANSITIONS
from .records import TASK_TRANSITIONS
from .records import meeting_create
from .records import record_transition
from .records import record_update
from .records import task_create
from .squad import EDITABLE_FIELDS
from .squad import core_information_entered
from .squad import is_success_agent
from .squad import success_case_edit
from .squad import success_case_join_squad
from .squad import success_case_leave_squad
from .stream import STREAM_KINDS
from .stream import journal_post

__all__ = [
    "ACTIVITY_HANDLERS",
    "CASE_PREFIX",
    "EDITABLE_FIELDS",
    "MEETING_TRANSITIONS",
    "PHASE_ENDED_AT",
    "STREAM_KINDS",
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
    "core_information_entered",
    "format_number",
    "is_success_agent",
    "journal_admin_changes",
    "journal_post",
    "meeting_create",
    "number_peek",
    "number_take",
    "people",
    "playbook_export",
    "playbook_import",
    "playbook_make_default",
    "playbook_version_current",
    "playbook_version_for_editing",
    "record_label",
    "record_transition",
    "record_update",
    "success_case_cancel",
    "success_case_close",
    "success_case_create",
    "success_case_edit",
    "success_case_join_squad",
    "success_case_leave_squad",
    "success_case_mark_reviewed",
    "task_create",
    "version_in_use",
]
