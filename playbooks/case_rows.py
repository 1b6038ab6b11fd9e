"""All Success Cases' rows, read as values and printed once.

As for the Review (``playbooks.reports.rows``): a page of 25 cases read as models built
four instances a row (the case, its engagement, account and assignee) and ran a dozen
lookups and six filters; here one ``values()`` row becomes a ``CaseRow`` whose fields are
what the cells print.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from core.formatting import NONE
from core.formatting import badge_class
from core.formatting import local_day
from core.formatting import person_fields
from core.formatting import person_in
from engagements.models import Account
from engagements.models import Engagement

from .models import OPEN_PHASES
from .models import PROGRESS_LABELS
from .models import STATE_LABELS
from .models import Phase
from .models import SuccessCase

PHASE_LABELS = dict(Phase.choices)
_FIELDS = (
    "number",
    "short_description",
    "engagement_id",
    "engagement__name",
    "engagement__account_id",
    "engagement__account__name",
    "phase",
    "opened_at",
    *person_fields("assigned_to"),
)


@dataclass(frozen=True)
class CaseRow:
    """One success case as All Success Cases prints it."""

    number: str
    url: str
    short_description: str  # an em dash without one
    engagement_name: str
    engagement_url: str
    account_name: str
    account_url: str
    phase: str  # the lane of an open case ("Assist"), an em dash once it ended
    state_label: str  # Open, Closed or Canceled
    state_class: str
    progress_label: str  # In progress, Completed or Canceled
    progress_class: str
    assigned_to: str  # the person's label, or an em dash
    opened: str


def case_list_rows(cases: QuerySet[SuccessCase]) -> list[CaseRow]:
    """One page of cases (the paginator's slice, not yet read) as rows, read as values."""
    return [_row(v) for v in cases.values(*_FIELDS)]


def _row(v: dict) -> CaseRow:
    phase = v["phase"]
    state = STATE_LABELS.get(phase, "Open")
    progress = PROGRESS_LABELS.get(phase, "In progress")
    return CaseRow(
        number=v["number"],
        url=SuccessCase.url_for(v["number"]),
        short_description=v["short_description"] or NONE,
        engagement_name=v["engagement__name"],
        engagement_url=Engagement.url_for(v["engagement_id"]),
        account_name=v["engagement__account__name"],
        account_url=Account.url_for(v["engagement__account_id"]),
        phase=PHASE_LABELS[phase] if phase in OPEN_PHASES else NONE,
        state_label=state,
        state_class=badge_class(state),
        progress_label=progress,
        progress_class=badge_class(progress),
        assigned_to=person_in(v, "assigned_to"),
        opened=local_day(v["opened_at"]),
    )
