"""Writing to a case's activity stream directly: a comment or a work note at any time."""

from __future__ import annotations

from django.db import transaction

from core.errors import DomainError
from core.events import emit
from core.text import LONG_TEXT

from ..models import JournalEntry
from .common import _lock_case

#: What the compose box may post, in its words.
STREAM_KINDS = {
    JournalEntry.Kind.COMMENT: "Comment",
    JournalEntry.Kind.WORK_NOTE: "Work note",
}


@transaction.atomic
def journal_post(*, case_pk: int, user, kind: str, text: str) -> JournalEntry:
    """Post a comment (customer visible) or a work note (internal) on an open case.

    Only the assignee and the squad may (``_lock_case``); the text is required and at
    most ``LONG_TEXT`` characters.
    """
    if kind not in STREAM_KINDS:
        raise DomainError("Choose Comment or Work note.")
    text = (text or "").strip()
    if not text:
        raise DomainError("A comment or work note cannot be empty.")
    if len(text) > LONG_TEXT:
        raise DomainError(f"Keep it to {LONG_TEXT:,} characters.")
    case = _lock_case(case_pk, user)
    entry = JournalEntry.objects.create(case=case, author=user, kind=kind, body=text)
    emit("case.journal_posted", actor_id=user.pk, case_id=case.pk, kind=kind)
    return entry
