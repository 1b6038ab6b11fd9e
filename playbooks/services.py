"""Operations on success cases that change several rows, each in one transaction.

Every operation locks the case row first (``select_for_update``), so two agents
pressing Mark Complete or Close on the same case at the same moment are served
one after the other: the second sees the first's result and is told so. Every
change is written to the case's journal (who, when, from → to).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django_fsm import can_proceed, has_transition_perm

from core.errors import DomainError
from engagements.models import Engagement

from .models import (
    LANES,
    REVIEWABLE_PHASES,
    ActivityDefinition,
    ActivityKind,
    ActivityState,
    CaseActivity,
    CaseTask,
    JournalEntry,
    Meeting,
    NumberSequence,
    Phase,
    SuccessCase,
    can_work_case,
)

CASE_PREFIX = "SCS"
TASK_PREFIX = "SCTASK"


# -- numbers -------------------------------------------------------------------
def format_number(prefix: str, value: int) -> str:
    return f"{prefix}{value:07d}"


def number_peek(prefix: str) -> str:
    """The number the next record would get, for display only (not reserved)."""
    sequence = NumberSequence.objects.filter(prefix=prefix).first()
    return format_number(prefix, sequence.next_value if sequence else 1001)


def number_take(prefix: str) -> str:
    """Take the next number for good. Call inside the creating transaction."""
    NumberSequence.objects.get_or_create(prefix=prefix)
    sequence = NumberSequence.objects.select_for_update().get(prefix=prefix)
    value = sequence.next_value
    NumberSequence.objects.filter(prefix=prefix).update(next_value=F("next_value") + 1)
    return format_number(prefix, value)


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


# -- locking and checks -------------------------------------------------------------
def _lock_case(case_pk: int, user) -> SuccessCase:
    case = (
        SuccessCase.objects.select_for_update(of=("self",))
        .select_related("engagement__account")
        .get(pk=case_pk)
    )
    if not case.is_open:
        raise DomainError(f"{case.number} is {case.state_label.lower()}; it can no longer change.")
    if not can_work_case(case, user):
        raise PermissionDenied("Only the assigned agent or the squad can work this case.")
    return case


# -- creating ------------------------------------------------------------------------
@dataclass
class Created:
    case: SuccessCase
    number_replaced: bool


@transaction.atomic
def success_case_create(*, engagement: Engagement, user, shown_number: str = "") -> Created:
    """New → Continue: create the case and its playbook; the creator is assigned.

    The number shown on the New form is not reserved; if someone else took it
    meanwhile the case gets the next free one and ``number_replaced`` says so.
    """
    if not user.has_perm("playbooks.add_successcase"):
        raise PermissionDenied("Only Success Agents open success cases.")
    if not engagement.is_open:
        raise DomainError(
            f"The engagement is {engagement.get_state_display().lower()}; choose an open one."
        )
    definitions = list(ActivityDefinition.objects.filter(active=True))
    if not definitions:
        raise DomainError("The playbook has no activities; ask an administrator to define them.")
    number = number_take(CASE_PREFIX)
    case = SuccessCase.objects.create(
        number=number, engagement=engagement, assigned_to=user, opened_by=user
    )
    definitions.sort(key=lambda d: (LANES.index(d.phase), d.order))
    activities = [
        CaseActivity(
            case=case,
            definition=d,
            phase=d.phase,
            position=index,
            name=d.name,
            kind=d.kind,
            instructions=d.instructions,
        )
        for index, d in enumerate(definitions, start=1)
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
    _save_log(journal)


# -- working activities ----------------------------------------------------------------
def _apply_core_information(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
    fields = [
        "short_description",
        "description",
        "priority",
        "assigned_to",
        "planned_start",
        "planned_end",
    ]
    return _update_fields(case, user, fields, data)


def _update_fields(case: SuccessCase, user, fields: list[str], data: dict) -> list[JournalEntry]:
    journal = []
    changed = []
    for name in fields:
        if name not in data:
            continue
        old, new = getattr(case, name), data[name]
        if old != new:
            label = SuccessCase._meta.get_field(name).verbose_name.capitalize()
            old_text = case.get_priority_display() if name == "priority" else old
            setattr(case, name, new)
            new_text = case.get_priority_display() if name == "priority" else new
            journal.append(_log(case, user, label, old_text, new_text))
            changed.append(name)
    if changed:
        case.save(update_fields=[*changed, "updated_at"])
    return journal


def _names(users) -> str:
    return ", ".join(sorted(u.get_full_name() or u.username for u in users))


def _apply_squad(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
    old = list(case.squad.all())
    new = list(data.get("squad") or [])
    if not new:
        raise DomainError("Select one or more squad members.")
    if {u.pk for u in old} == {u.pk for u in new}:
        return []
    case.squad.set(new)
    return [_log(case, user, "Squad", _names(old), _names(new))]


def _apply_text(kind: str):
    def apply(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
        if not (data.get("text") or "").strip():
            raise DomainError("A comment or work note cannot be empty.")
        return [JournalEntry(case=case, author=user, kind=kind, body=data["text"])]

    return apply


def _apply_close_record(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
    # Close success case needs both (closed_case_has_closure); without them the
    # case could never be closed once Close record is complete.
    if not data.get("closure_code") or not (data.get("close_notes") or "").strip():
        raise DomainError("Select a closure code and enter close notes.")
    return _update_fields(case, user, ["closure_code", "close_notes"], data)


def _apply_nothing(case: SuccessCase, user, data: dict) -> list[JournalEntry]:
    return []


ACTIVITY_HANDLERS = {
    ActivityKind.SELECT_ENGAGEMENT: _apply_nothing,
    ActivityKind.CORE_INFORMATION: _apply_core_information,
    ActivityKind.ADD_SQUAD: _apply_squad,
    ActivityKind.COMMENT: _apply_text(JournalEntry.Kind.COMMENT),
    ActivityKind.WORK_NOTE: _apply_text(JournalEntry.Kind.WORK_NOTE),
    ActivityKind.RELATED_MEETING: _apply_nothing,
    ActivityKind.RELATED_WORK: _apply_nothing,
    ActivityKind.CLOSE_RECORD: _apply_close_record,
}


@transaction.atomic
def activity_complete(
    *, case_pk: int, activity_pk: int, user, data: dict | None = None
) -> CaseActivity:
    """Mark Complete / Send and continue: save the activity's form data and complete it.

    Refused (``DomainError``, nothing saved) when the activity is not the open
    one any more or when its gate finds open meetings or tasks.
    """
    case = _lock_case(case_pk, user)
    activity = CaseActivity.objects.select_related("completed_by").get(pk=activity_pk, case=case)
    if activity.state == ActivityState.PENDING:
        raise DomainError(f"{activity.name} is not open yet.")
    if activity.state != ActivityState.IN_PROGRESS:
        who = activity.completed_by
        by = f" by {who.get_full_name() or who.username}" if who else ""
        raise DomainError(f"{activity.name} is already {activity.get_state_display().lower()}{by}.")
    activity.case = case
    if not can_proceed(activity.complete):
        raise DomainError(
            f"{activity.action_label} is not possible yet: {activity.blocker_message()}."
        )
    if not has_transition_perm(activity.complete, user):
        raise PermissionDenied("Only the assigned agent or the squad can work this case.")
    journal = ACTIVITY_HANDLERS[activity.kind](case, user, data or {})
    activity.complete(by=user)
    activity.save()
    journal.append(_log(case, user, f"Activity: {activity.name}", "In progress", "Complete"))
    _save_log(journal)
    _advance(case, user)
    return activity


@transaction.atomic
def case_update(*, case_pk: int, user, data: dict) -> SuccessCase:
    """Edit the core information of an open case outside its activity."""
    case = _lock_case(case_pk, user)
    _save_log(_apply_core_information(case, user, data))
    return case


# -- closing and canceling ---------------------------------------------------------------
@transaction.atomic
def success_case_close(*, case_pk: int, user) -> SuccessCase:
    """Close success case: State Closed, Progress Completed; who and when are recorded."""
    case = _lock_case(case_pk, user)
    if not can_proceed(case.close):
        open_names = [a.name for a in case.activities.all() if a.state != ActivityState.COMPLETE]
        raise DomainError(
            "Close success case is offered once every activity is complete; "
            f"still to do: {', '.join(open_names)}."
        )
    old = case.phase
    case.close(by=user)
    left = _leave_phase(case, user, old, "Closed")
    case.save()
    _save_log(
        [
            left,
            _log(case, user, "State", "Open", "Closed"),
            _log(case, user, "Progress", "In progress", "Completed"),
        ]
    )
    return case


@dataclass
class CancelPreview:
    """What canceling a case would cancel, shown before the user confirms."""

    activities: list[CaseActivity]
    lanes: list[str]
    meetings: list[Meeting]
    tasks: list[CaseTask]


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


@transaction.atomic
def success_case_cancel(*, case_pk: int, user, reason: str) -> CancelPreview:
    """Cancel: every pending activity and lane, open meeting and open task is canceled."""
    if not reason.strip():
        raise DomainError("Give a reason for canceling.")
    case = _lock_case(case_pk, user)
    preview = cancel_preview(case)
    journal = []
    for activity in preview.activities:
        old = activity.get_state_display()
        activity.cancel()
        activity.save()
        journal.append(_log(case, user, f"Activity: {activity.name}", old, "Canceled"))
    for meeting in preview.meetings:
        old = meeting.get_state_display()
        meeting.cancel()
        meeting.save()
        journal.append(_log(case, user, f"{_record_label(meeting)} state", old, "Canceled"))
    for task in preview.tasks:
        old = task.get_state_display()
        task.cancel()
        task.save()
        journal.append(_log(case, user, f"{_record_label(task)} state", old, "Canceled"))
    old_phase = case.phase
    case.cancel(by=user, reason=reason.strip())
    left = _leave_phase(case, user, old_phase, "Canceled")
    case.save()
    journal += [
        left,
        _log(case, user, "State", "Open", "Canceled"),
    ]
    _save_log(journal)
    return preview


# -- meetings and tasks -----------------------------------------------------------------------
@transaction.atomic
def meeting_create(*, case_pk: int, user, data: dict, schedule: bool = False) -> Meeting:
    case = _lock_case(case_pk, user)
    data = dict(data)
    attendees = data.pop("attendees", [])
    meeting = Meeting.objects.create(case=case, created_by=user, **data)
    meeting.attendees.set(attendees)
    journal = [_log(case, user, "Meeting added", "", meeting.subject)]
    if schedule:
        meeting.schedule()
        meeting.save()
        journal.append(_log(case, user, f"{_record_label(meeting)} state", "Draft", "Scheduled"))
    _save_log(journal)
    return meeting


@transaction.atomic
def task_create(*, case_pk: int, user, data: dict) -> CaseTask:
    case = _lock_case(case_pk, user)
    task = CaseTask.objects.create(
        case=case, created_by=user, number=number_take(TASK_PREFIX), **data
    )
    _save_log([_log(case, user, "Task added", "", f"{task.number} {task.short_description}")])
    return task


TASK_TRANSITIONS = ("start", "pause", "complete", "cancel")
MEETING_TRANSITIONS = ("schedule", "complete", "cancel")


@transaction.atomic
def record_transition(*, case_pk: int, user, record: Meeting | CaseTask, name: str) -> None:
    """Move a meeting or task to another state (Schedule, Start work, Complete...)."""
    case = _lock_case(case_pk, user)
    model = type(record)
    allowed = MEETING_TRANSITIONS if model is Meeting else TASK_TRANSITIONS
    if name not in allowed:
        raise DomainError("Unknown action.")
    record = model.objects.get(pk=record.pk, case=case)  # re-read under the case lock
    record.case = case
    method = getattr(record, name)
    if not can_proceed(method):
        raise DomainError(
            f"{record} is {record.get_state_display().lower()}; that is no longer possible."
        )
    if not has_transition_perm(method, user):
        raise PermissionDenied
    old = record.get_state_display()
    method()
    record.save()
    _save_log([_log(case, user, f"{_record_label(record)} state", old, record.get_state_display())])


def _record_label(record: Meeting | CaseTask) -> str:
    return record.number if isinstance(record, CaseTask) else f"Meeting {record.subject}"


@transaction.atomic
def record_update(*, case_pk: int, user, record: Meeting | CaseTask, data: dict) -> None:
    """Edit a meeting's or task's fields; each change goes to the journal."""
    case = _lock_case(case_pk, user)
    model = type(record)
    record = model.objects.get(pk=record.pk, case=case)
    journal, changed = [], []
    data = dict(data)
    attendees = data.pop("attendees", None)
    for name, new in data.items():
        old = getattr(record, name)
        if old != new:
            label = model._meta.get_field(name).verbose_name.capitalize()
            journal.append(_log(case, user, f"{_record_label(record)} {label.lower()}", old, new))
            setattr(record, name, new)
            changed.append(name)
    if changed:
        record.save(update_fields=changed)
    if attendees is not None and isinstance(record, Meeting):
        old_people = list(record.attendees.all())
        if {u.pk for u in old_people} != {u.pk for u in attendees}:
            record.attendees.set(attendees)
            journal.append(
                _log(
                    case,
                    user,
                    f"{_record_label(record)} attendees",
                    _names(old_people),
                    _names(attendees),
                )
            )
    _save_log(journal)


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
    case = (
        SuccessCase.objects.select_for_update(of=("self",))
        .select_related("reviewed_by")
        .get(pk=case_pk)
    )
    if case.phase not in REVIEWABLE_PHASES:
        raise DomainError(f"{case.number} is open; only closed or canceled cases are reviewed.")
    if case.reviewed_at is not None:
        who = case.reviewed_by.get_full_name() or case.reviewed_by.get_username()
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
    return case


# -- the Django admin's own edits ------------------------------------------------------
# The admin saves rows itself (Django's ModelAdmin); what it changed reaches the case's
# journal through these, so the activity stream and Review see admin edits too.
def record_label(record: Meeting | CaseTask) -> str:
    """How a meeting or task is named in the journal ("SCTASK0001001", "Meeting Kickoff")."""
    return _record_label(record)


def people(users) -> str:
    """Users as the journal writes them: full names (or usernames), sorted, comma-separated."""
    return _names(users)


@transaction.atomic
def journal_admin_changes(
    *, case: SuccessCase, user, changes: Iterable[tuple[str, object, object]]
) -> None:
    """Journal ``(field label, old, new)`` changes an admin made to ``case`` or its records."""
    JournalEntry.objects.bulk_create(
        _log(case, user, field, old, new) for field, old, new in changes
    )
