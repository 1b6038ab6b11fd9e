"""Success cases and their playbook (ServiceNow CSM "success case playbook").

A success case is opened for an engagement and worked through three phases,
each a lane of activities: Initiate, Assist, Review & Close. The phases are a
django-fsm state machine on ``SuccessCase.phase``; a lane's completion is the
condition of the transition to the next phase. Activities, meetings and tasks
have state machines of their own. Complete and Canceled both resolve a gate.

The activities of a new case are copied from the ``ActivityDefinition`` rows of
the latest ``PlaybookVersion`` of the ``PlaybookDefinition`` chosen at New (the
default one holds the seed document's activities), so an organisation can
define several playbooks and add or reorder activities in the admin without
touching the state machine. Each definition has a *kind* that says which form
and which gate the activity uses; its phase says which lane it belongs to.
"""

# The models live in the modules below; every name is re-exported here so that
# ``playbooks.models.<name>`` keeps working.
from .cases import SuccessCase
from .cases import can_work_case
from .journal import JournalEntry
from .reference import ACTION_LABELS
from .reference import DEFAULT_ACTION_LABEL
from .reference import LANES
from .reference import OPEN_MEETING_STATES
from .reference import OPEN_PHASES
from .reference import OPEN_TASK_STATES
from .reference import PROGRESS_LABELS
from .reference import RESOLVED_ACTIVITY_STATES
from .reference import REVIEWABLE_PHASES
from .reference import STATE_LABELS
from .reference import ActivityDefinition
from .reference import ActivityKind
from .reference import ActivityState
from .reference import ClosureCode
from .reference import MeetingState
from .reference import NumberSequence
from .reference import Phase
from .reference import PlaybookDefinition
from .reference import PlaybookState
from .reference import PlaybookVersion
from .reference import Priority
from .reference import TaskState
from .work import CaseActivity
from .work import CaseTask
from .work import Meeting

__all__ = [
    "ACTION_LABELS",
    "DEFAULT_ACTION_LABEL",
    "LANES",
    "OPEN_MEETING_STATES",
    "OPEN_PHASES",
    "OPEN_TASK_STATES",
    "PROGRESS_LABELS",
    "RESOLVED_ACTIVITY_STATES",
    "REVIEWABLE_PHASES",
    "STATE_LABELS",
    "ActivityDefinition",
    "ActivityKind",
    "ActivityState",
    "CaseActivity",
    "CaseTask",
    "ClosureCode",
    "JournalEntry",
    "Meeting",
    "MeetingState",
    "NumberSequence",
    "Phase",
    "PlaybookDefinition",
    "PlaybookState",
    "PlaybookVersion",
    "Priority",
    "SuccessCase",
    "TaskState",
    "can_work_case",
]
