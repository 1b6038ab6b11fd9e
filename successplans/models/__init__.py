"""Success plans (Certinia Customer Success Cloud) and their children.

A success plan belongs to an account and holds objectives (each with
objective KPIs), playbooks, playbook tasks (under a playbook or directly under
the plan), business challenges and logged CS activities. Children carry their
plan's account through the plan: it is shown on every child but never typed
again, so it cannot disagree with the plan.

Record types: admins define record types per object with a *field set*, the
optional fields its forms show. Objects without record types use the default
field set (every optional field).

Modules: ``base`` (record types, statuses, shared checks), ``plans`` (plans, objectives
and KPIs, playbooks, tasks), ``challenges`` (business challenges, CS activities).

A plan with ``is_template`` set is a template: it is offered in the template
picker and never shown as a live plan on the Success Tracker.
"""

from .base import DONE_STATUSES
from .base import STARTING_STATUS
from .base import RecordType
from .base import Status
from .base import field_set_for
from .challenges import BusinessChallenge
from .challenges import ChallengeCategory
from .challenges import CSActivity
from .challenges import TemplatePickerPreference
from .plans import AssignedChild
from .plans import KPIValue
from .plans import Objective
from .plans import ObjectiveKPI
from .plans import PlanChild
from .plans import Playbook
from .plans import PlaybookTask
from .plans import SuccessPlan

__all__ = [
    "DONE_STATUSES",
    "STARTING_STATUS",
    "AssignedChild",
    "BusinessChallenge",
    "CSActivity",
    "ChallengeCategory",
    "KPIValue",
    "Objective",
    "ObjectiveKPI",
    "PlanChild",
    "Playbook",
    "PlaybookTask",
    "RecordType",
    "Status",
    "SuccessPlan",
    "TemplatePickerPreference",
    "field_set_for",
]
