"""The success case, its phase state machine and who may work it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin
from django_fsm import FSMField
from django_fsm import transition

from core.dates import in_range_constraints
from core.dates import validate_in_range
from core.links import RecordPage
from core.models import dates_in_order
from core.models import optional_link
from core.text import LONG_TEXT

from .reference import LANES
from .reference import OPEN_PHASES
from .reference import PROGRESS_LABELS
from .reference import REVIEWABLE_PHASES
from .reference import STATE_LABELS
from .reference import ActivityState
from .reference import ClosureCode
from .reference import Phase
from .reference import PlaybookState
from .reference import Priority

if TYPE_CHECKING:
    from .work import CaseActivity


def can_work_case(case: SuccessCase, user) -> bool:
    """Success Agents work a case when assigned to it or in its squad.

    This is the ``permission=`` of every transition on cases, activities,
    meetings and tasks, and the check every view makes before a change.
    """
    if not user.is_authenticated or not user.has_perm("playbooks.change_successcase"):
        return False
    if case.assigned_to_id == user.pk:
        return True
    return any(member.pk == user.pk for member in case.squad.all())


def _partial_index(name: str, *fields: str, when: Q) -> models.Index:
    """An index of the cases ``when`` holds only (the rows one list shows)."""
    return models.Index(fields=list(fields), name=name, condition=when)


_OPEN = Q(phase__in=OPEN_PHASES)
_CLOSED = Q(closed_at__isnull=False)
_TIMED = Q(cycle_time__isnull=False)


def _lane_opens(name: str, field, source: str, target: str, done):
    """The phase transition ``name`` from lane ``source`` to ``target``, gated by ``done``."""

    def method(self) -> None:
        pass

    method.__name__ = method.__qualname__ = name
    return transition(
        field=field, source=source, target=target, conditions=[done], permission=can_work_case
    )(method)


@dataclass(frozen=True)
class Lane:
    """One lane of a case's playbook as its page shows it: label, activities and badge."""

    phase: str
    label: str
    activities: list[CaseActivity]
    state: str


class SuccessCase(RecordPage, ConcurrentTransitionMixin, models.Model):
    detail_view = "playbooks:case-detail"
    url_key = "number"

    #: The fields of the seed's "Enter core information" step: its form, its service and the
    #: admin's fieldset name them from here.
    CORE_INFORMATION_FIELDS = (
        "short_description",
        "description",
        "priority",
        "assigned_to",
        "planned_start",
        "planned_end",
    )

    number = models.CharField(max_length=20, unique=True, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.PROTECT, related_name="success_cases"
    )
    short_description = models.CharField(max_length=160, blank=True)
    description = models.TextField(blank=True, max_length=LONG_TEXT)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MODERATE)
    assigned_to = optional_link(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assigned_success_cases"
    )
    planned_start = models.DateField(null=True, blank=True, validators=[validate_in_range])
    planned_end = models.DateField(null=True, blank=True, validators=[validate_in_range])
    squad = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="squad_success_cases"
    )

    phase = FSMField(default=Phase.INITIATE, choices=Phase.choices, protected=True)
    # Which playbook, and which version of it, the case's activities were copied from. Null
    # only for rows written outside the services (the benchmarks' bulk cases).
    playbook_version = optional_link(
        "playbooks.PlaybookVersion", on_delete=models.PROTECT, related_name="cases", editable=False
    )
    playbook_state = models.CharField(
        "playbook state",
        max_length=20,
        choices=PlaybookState.choices,
        default=PlaybookState.IN_PROGRESS,
        editable=False,
        help_text="Completed when closed after every activity; Canceled when closed early.",
    )

    closure_code = optional_link(ClosureCode, on_delete=models.PROTECT, related_name="cases")
    close_notes = models.TextField(blank=True, max_length=LONG_TEXT)
    cancel_reason = models.TextField(blank=True, max_length=LONG_TEXT)

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opened_success_cases"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = optional_link(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="closed_success_cases",
        help_text="Who closed or canceled the case.",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # A Success Manager's review of a closed or canceled case (the Review workspace).
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = optional_link(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviewed_success_cases"
    )
    review_note = models.TextField(blank=True, max_length=LONG_TEXT)

    # What the Review figures need, kept on the row by the services when the case
    # leaves a lane (moving on, closing or canceling) and when it closes: the
    # figures then read this one table, never the journal (whose Phase changes
    # say the same; migration 0006 filled these from it for older cases).
    initiate_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    assist_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_close_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    cycle_time = models.DurationField(
        null=True, blank=True, editable=False, help_text="From opening to closing or canceling."
    )

    class Meta:
        ordering = ["-opened_at"]
        permissions = [
            ("review_successcase", "Can review closed and canceled success cases"),
        ]
        # Each list's default order, for the rows it shows (partial where it shows a subset):
        # All Success Cases, its "Open" state, the home page's open cases of one agent,
        # Review (most recently closed first; the closed-between filter), and the cycle
        # times in order (the percentiles on SQLite). The Review's two are partial on
        # "closed_at / cycle_time is set" rather than on the phase: only the queries that
        # say so (``reports.in_list_order``, the percentiles) use them. SQLite's planner
        # would otherwise also read the whole-set aggregates of the Review figures
        # through them, a row lookup per index entry: 3 to 5 times slower than its
        # table scan.
        indexes = [
            models.Index(fields=["-opened_at", "-id"], name="case_opened"),
            _partial_index("case_open_opened", "-opened_at", "-id", when=_OPEN),
            _partial_index("case_open_assignee", "assigned_to", "planned_end", when=_OPEN),
            # The home page's open cases of one user, in its order (soonest planned end):
            # read in order until a page is found, the assignee and phase in the index
            # and the squad asked on its (case, user) index (``selectors.my_open_cases``).
            _partial_index(
                "case_open_planned",
                *["planned_end", "-opened_at", "-id", "assigned_to", "phase"],
                when=_OPEN,
            ),
            _partial_index("case_closed_order", "-closed_at", "-id", when=_CLOSED),
            # With the phase, so that the percentile's scan needs no row.
            _partial_index("case_cycle_order", "cycle_time", "id", "phase", when=_TIMED),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phase=Phase.CLOSED)
                | (
                    Q(closure_code__isnull=False)
                    & ~Q(close_notes="")
                    & Q(closed_at__isnull=False)
                    & Q(closed_by__isnull=False)
                ),
                name="closed_case_has_closure",
                violation_error_message=(
                    "A closed case needs a closure code, close notes and who closed it."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(phase__in=OPEN_PHASES) & Q(playbook_state=PlaybookState.IN_PROGRESS))
                | (Q(phase=Phase.CANCELED) & Q(playbook_state=PlaybookState.CANCELED))
                | (
                    Q(phase=Phase.CLOSED)
                    & Q(playbook_state__in=[PlaybookState.COMPLETED, PlaybookState.CANCELED])
                ),
                name="case_playbook_state_follows_phase",
                violation_error_message=(
                    "An open case's playbook is in progress; a canceled case's is canceled; "
                    "a closed case's is completed or canceled."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(phase=Phase.CANCELED)
                | (~Q(cancel_reason="") & Q(closed_at__isnull=False)),
                name="canceled_case_has_reason",
                violation_error_message="A canceled case needs a reason.",
            ),
            dates_in_order(
                "planned_start",
                "planned_end",
                "case_planned_end_after_start",
                message="The planned end cannot be before the planned start.",
            ),
            *in_range_constraints("case", "planned_start", "planned_end"),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True)
                | (
                    Q(phase__in=REVIEWABLE_PHASES)
                    & Q(reviewed_by__isnull=False)
                    & ~Q(review_note="")
                ),
                name="reviewed_case_is_closed_with_note",
                violation_error_message=(
                    "Only a closed or canceled case can be reviewed, by someone, with a note."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    # State and Progress, as ServiceNow shows them, follow from the phase.
    @property
    def is_open(self) -> bool:
        return self.phase in OPEN_PHASES

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.phase, "Open")

    @property
    def closed_early(self) -> bool:
        """Closed before every activity was complete (its playbook then Canceled)."""
        return self.phase == Phase.CLOSED and self.playbook_state == PlaybookState.CANCELED

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def progress_label(self) -> str:
        return PROGRESS_LABELS.get(self.phase, "In progress")

    # -- gates -----------------------------------------------------------------
    def lane_blockers(self, phase: str) -> list[CaseActivity]:
        """The activities of ``phase`` that are neither complete nor canceled."""
        return [a for a in self.activities.all() if a.phase == phase and not a.is_resolved]

    def initiate_done(self) -> bool:
        return not self.lane_blockers(Phase.INITIATE)

    def assist_done(self) -> bool:
        return not self.lane_blockers(Phase.ASSIST)

    # -- lanes -----------------------------------------------------------------
    def lanes(self) -> list[Lane]:
        """The three lanes with their activities (prefetched) and the state of each.

        A lane is **Canceled** when the playbook was ended with work still pending in it:
        the case is no longer open and an activity of the lane is canceled (only ending
        the case cancels activities, and it cancels exactly the pending ones), or every
        activity of the lane is canceled. A lane whose activities were all complete before
        the case ended stays **Complete**. An open case's lanes are Complete (every
        activity resolved), In progress (the case's phase) or Pending.
        """
        activities = list(self.activities.all())
        lanes = []
        for phase in LANES:
            lane = [a for a in activities if a.phase == phase]
            canceled = [a for a in lane if a.state == ActivityState.CANCELED]
            if canceled and (not self.is_open or len(canceled) == len(lane)):
                state = "Canceled"
            elif lane and all(a.is_resolved for a in lane):
                state = "Complete"
            elif self.phase == phase:
                state = "In progress"
            else:
                state = "Pending"
            lanes.append(Lane(phase=phase, label=phase.label, activities=lane, state=state))
        return lanes

    def all_activities_complete(self) -> bool:
        return all(a.state == ActivityState.COMPLETE for a in self.activities.all())

    # -- phase state machine ---------------------------------------------------
    # Every activity of a lane resolved (complete or canceled): the next lane opens.
    start_assist = _lane_opens("start_assist", phase, Phase.INITIATE, Phase.ASSIST, initiate_done)
    start_review = _lane_opens("start_review", phase, Phase.ASSIST, Phase.REVIEW_CLOSE, assist_done)

    @transition(
        field=phase,
        source=list(OPEN_PHASES),
        target=Phase.CLOSED,
        permission=can_work_case,
    )
    def close(self, *, by) -> None:
        """Close success case, at any phase: State Closed, Progress Completed; the playbook
        Completed when every activity is complete, else Canceled (closed early: the service
        has canceled the pending activities first)."""
        self.playbook_state = (
            PlaybookState.COMPLETED if self.all_activities_complete() else PlaybookState.CANCELED
        )
        self.closed_by = by
        self.closed_at = timezone.now()

    @transition(
        field=phase,
        source=list(OPEN_PHASES),
        target=Phase.CANCELED,
        permission=can_work_case,
    )
    def cancel(self, *, by, reason: str) -> None:
        self.playbook_state = PlaybookState.CANCELED
        self.cancel_reason = reason
        self.closed_by = by
        self.closed_at = timezone.now()
