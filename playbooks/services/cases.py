"""Creating, advancing, closing, canceling and reviewing success cases."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats
from django.utils import timezone
from django_fsm import can_proceed

from core import generations
from core.errors import DomainError
from core.events import emit
from core.formatting import person
from engagements.models import Engagement

from ..models import LANES
from ..models import REVIEWABLE_PHASES
from ..models import ActivityDefinition
from ..models import ActivityKind
from ..models import ActivityState
from ..models import CaseActivity
from ..models import CaseTask
from ..models import ClosureCode
from ..models import JournalEntry
from ..models import Meeting
from ..models import Phase
from ..models import PlaybookDefinition
from ..models import SuccessCase
from ..reports.cache import GENERATION as REVIEW_GENERATION
from .activities import _update_fields
from .common import CASE_PREFIX
from .common import _lock_case
from .common import _lock_case_row
from .common import number_take
from .journal import _leave_phase
from .journal import _log
from .journal import _save_log
from .journal import record_label
from .playbooks import playbook_version_current


# -- creating ------------------------------------------------------------------------
@dataclass
class Created:
    case: SuccessCase
    number_replaced: bool


def activity_from(definition, *, case: SuccessCase, position: int, **values) -> CaseActivity:
    """An unsaved copy of a playbook activity definition for ``case``; ``values`` override."""
    return CaseActivity(
        case=case,
        definition=definition,
        phase=definition.phase,
        position=position,
        name=definition.name,
        kind=definition.kind,
        instructions=definition.instructions,
        **values,
    )


@transaction.atomic
def success_case_create(
    *,
    engagement: Engagement,
    user,
    shown_number: str = "",
    playbook: PlaybookDefinition | None = None,
) -> Created:
    """New → Continue: create the case and its playbook; the creator is assigned.

    The case follows the latest version of ``playbook`` (the default playbook when
    none is given) and keeps that version whatever an administrator changes later.
    The number shown on the New form is not reserved; if someone else took it
    meanwhile the case gets the next free one and ``number_replaced`` says so.
    """
    if not user.has_perm("playbooks.add_successcase"):
        raise PermissionDenied("Only Success Agents open success cases.")
    if not engagement.is_open:
        raise DomainError(
            f"The engagement is {engagement.get_state_display().lower()}; choose an open one."
        )
    version = playbook_version_current(playbook)
    definitions = list(
        ActivityDefinition.objects.filter(version=version, active=True) if version else ()
    )
    if not definitions:
        raise DomainError(
            "The playbook has no activities; ask an administrator to define them.",
            field="playbook",
        )
    number = number_take(CASE_PREFIX)
    case = SuccessCase.objects.create(
        number=number,
        engagement=engagement,
        assigned_to=user,
        opened_by=user,
        playbook_version=version,
    )
    definitions.sort(key=lambda d: (LANES.index(d.phase), d.order))
    activities = [
        activity_from(d, case=case, position=index) for index, d in enumerate(definitions, start=1)
    ]
    CaseActivity.objects.bulk_create(activities)
    journal = [_log(case, user, "State", "", "Open"), _log(case, user, "Phase", "", "Initiate")]
    # Select engagement is done by creating the case (Continue).
    first = activities[0]
    if first.kind == ActivityKind.SELECT_ENGAGEMENT:
        first.start()
        first.complete(by=user)
        first.save()
        journal.append(_log(case, user, f"Activity: {first.name}", "Pending", "Complete"))
    _save_log(journal)
    emit("case.created", actor_id=user.pk, case_id=case.pk)
    emit("case.assigned", actor_id=user.pk, case_id=case.pk, assignee_id=user.pk, previous_id=None)
    _advance(case, user)
    return Created(case=case, number_replaced=bool(shown_number) and shown_number != number)


def _advance(case: SuccessCase, user) -> None:
    """Open the next pending activity; when a lane is done, move to the next phase."""
    activities = list(case.activities.order_by("position"))
    if any(a.state == ActivityState.IN_PROGRESS for a in activities):
        return
    journal = []
    while True:
        pending = [
            a for a in activities if a.phase == case.phase and a.state == ActivityState.PENDING
        ]
        if pending:
            activity = pending[0]
            activity.start()
            activity.save()
            journal.append(_log(case, user, f"Activity: {activity.name}", "Pending", "In progress"))
            break
        transition = {Phase.INITIATE: case.start_assist, Phase.ASSIST: case.start_review}.get(
            case.phase
        )
        if transition is None or not can_proceed(transition):
            break  # Review & Close done: the agent closes the case.
        old = case.phase
        transition()
        journal.append(_leave_phase(case, user, old, case.get_phase_display()))
        case.save()
        emit(
            "case.phase_changed", actor_id=user.pk, case_id=case.pk, phase=case.phase, previous=old
        )
    _save_log(journal)


# -- closing and canceling ---------------------------------------------------------------
@dataclass
class CancelPreview:
    """What closing early or canceling a case would cancel, shown before the user confirms."""

    activities: list[CaseActivity]
    lanes: list[str]
    meetings: list[Meeting]
    tasks: list[CaseTask]

    @property
    def cancels_anything(self) -> bool:
        return bool(self.activities or self.meetings or self.tasks)


def cancel_preview(case: SuccessCase) -> CancelPreview:
    activities = [a for a in case.activities.all() if not a.is_resolved]
    lanes = []
    for phase in LANES:
        if any(a.phase == phase for a in activities):
            lanes.append(phase.label)
    return CancelPreview(
        activities=activities,
        lanes=lanes,
        meetings=[m for m in case.meetings.all() if m.is_open],
        tasks=[t for t in case.tasks.all() if t.is_open],
    )


def _cancel_pending(case: SuccessCase, user) -> tuple[CancelPreview, list[JournalEntry]]:
    """Cancel every pending activity (and so lane), open meeting and open task of ``case``."""
    preview = cancel_preview(case)
    journal = []
    for activity in preview.activities:
        old = activity.get_state_display()
        activity.cancel()
        activity.save()
        journal.append(_log(case, user, f"Activity: {activity.name}", old, "Canceled"))
    for record in [*preview.meetings, *preview.tasks]:
        old = record.get_state_display()
        record.cancel()
        record.save()
        journal.append(_log(case, user, f"{record_label(record)} state", old, "Canceled"))
    return preview, journal


def _playbook_change(case: SuccessCase, user) -> JournalEntry:
    return _log(case, user, "Playbook state", "In progress", case.get_playbook_state_display())


@transaction.atomic
def success_case_close(
    *, case_pk: int, user, closure_code: ClosureCode | None = None, close_notes: str = ""
) -> SuccessCase:
    """Close success case, at any phase: State Closed, Progress Completed.

    The closure code and close notes are the ones given, else those Close record
    saved. Closed after every activity is complete, the playbook is Completed;
    closed early, every pending activity, lane, open meeting and open task is
    canceled first (as Cancel does) and the playbook is Canceled.
    """
    case = _lock_case(case_pk, user)
    close_notes = (close_notes or "").strip()
    values = {
        "closure_code": closure_code or case.closure_code,
        "close_notes": close_notes or case.close_notes,
    }
    if values["closure_code"] is None or not values["close_notes"]:
        raise DomainError("Select a closure code and enter close notes.")
    journal = _update_fields(case, user, ["closure_code", "close_notes"], values)
    journal += _cancel_pending(case, user)[1]
    _end_case(
        case,
        user,
        journal,
        end=lambda: case.close(by=user),
        state="Closed",
        event="case.closed",
        changes=[("Progress", "In progress", "Completed")],
    )
    return case


@transaction.atomic
def success_case_cancel(*, case_pk: int, user, reason: str) -> CancelPreview:
    """Cancel: every pending activity and lane, open meeting and open task is canceled."""
    if not reason.strip():
        raise DomainError("Give a reason for canceling.")
    case = _lock_case(case_pk, user)
    preview, journal = _cancel_pending(case, user)
    _end_case(
        case,
        user,
        journal,
        end=lambda: case.cancel(by=user, reason=reason.strip()),
        state="Canceled",
        event="case.canceled",
    )
    return preview


def _end_case(
    case: SuccessCase, user, journal: list, *, end, state: str, event: str, changes=()
) -> None:
    """Close or cancel the open case (``end``, its transition) and save it with ``journal``:
    the phase it left, its State (and other ``changes``: field, old, new) and its playbook.
    Review's figures are renewed and ``event`` told."""
    old_phase = case.phase
    end()
    left = _leave_phase(case, user, old_phase, state)
    case.save()
    journal += [
        left,
        _log(case, user, "State", "Open", state),
        *(_log(case, user, *change) for change in changes),
        _playbook_change(case, user),
    ]
    _save_log(journal)
    generations.bump(REVIEW_GENERATION)
    emit(event, actor_id=user.pk, case_id=case.pk)


# -- review ---------------------------------------------------------------------------------
@transaction.atomic
def success_case_mark_reviewed(*, case_pk: int, user, note: str) -> SuccessCase:
    """Mark a closed or canceled case Reviewed, with the manager's note.

    Only holders of "review success case" (Success Managers) may; a case is
    reviewed once: the second manager to press Mark Reviewed is told who was
    first. The review is kept in the timeline as a "Reviewed" change whose
    body is the note.
    """
    if not user.has_perm("playbooks.review_successcase"):
        raise PermissionDenied("Only Success Managers review success cases.")
    note = (note or "").strip()
    if not note:
        raise DomainError("Enter a review note.")
    _lock_case_row(case_pk)
    case = SuccessCase.objects.select_related("reviewed_by").get(pk=case_pk)
    if case.phase not in REVIEWABLE_PHASES:
        raise DomainError(f"{case.number} is open; only closed or canceled cases are reviewed.")
    if case.reviewed_at is not None:
        who = person(case.reviewed_by)
        when = formats.date_format(timezone.localtime(case.reviewed_at), "M j, Y H:i")
        raise DomainError(f"{case.number} was already marked Reviewed by {who} on {when}.")
    case.reviewed_at = timezone.now()
    case.reviewed_by = user
    case.review_note = note
    case.save(update_fields=["reviewed_at", "reviewed_by", "review_note", "updated_at"])
    entry = _log(case, user, "Reviewed", "No", "Yes")
    entry.body = note
    entry.created_at = case.reviewed_at
    _save_log([entry])
    generations.bump(REVIEW_GENERATION)
    return case
