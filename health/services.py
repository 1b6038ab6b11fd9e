"""Every write of account health: manual measures, overrides and the daily snapshots."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.dates import in_range
from core.errors import DomainError
from core.events import emit
from core.text import LONG_TEXT
from engagements.models import Account

from .models import AccountHealth
from .models import Colour
from .models import ManualValue
from .models import Measure
from .models import Override
from .models import Rule
from .models import Snapshot
from .scoring import Board
from .scoring import scored

SNAPSHOT_BATCH = 500


def _required_text(text: str, *, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, field=field)
    if len(text) > LONG_TEXT:
        raise DomainError(f"Keep it under {LONG_TEXT} characters.", field=field)
    return text


@transaction.atomic
def manual_value_set(
    *, account: Account, measure_id: int, value: str, note: str, user
) -> ManualValue:
    """A CSM's reading of a manual measure (e.g. Sentiment red), with the note that says why."""
    measure = Measure.objects.filter(pk=measure_id, rule=Rule.MANUAL, active=True).first()
    if measure is None:
        raise DomainError("Choose a manual measure.", field="measure")
    if value not in Colour.values:
        raise DomainError("Choose red, amber or green.", field="value")
    note = _required_text(note, field="note", message="Say why: a note is required.")
    manual = ManualValue.objects.create(
        account=account, measure=measure, value=value, note=note, set_by=user
    )
    health_refresh(account_ids=[account.pk])
    return manual


@transaction.atomic
def override_set(*, account: Account, score: int, reason: str, expires_on: date, user) -> Override:
    """The score a CSM sets for the account until ``expires_on`` (inclusive)."""
    if score is None or not 0 <= score <= 100:
        raise DomainError("A score is between 0 and 100.", field="score")
    reason = _required_text(
        reason, field="reason", message="Say why the score is overridden: a reason is required."
    )
    if expires_on is None or not in_range(expires_on):
        raise DomainError("Choose the last day the override applies.", field="expires_on")
    if expires_on < timezone.localdate():
        raise DomainError("The expiry date cannot be in the past.", field="expires_on")
    override = Override.objects.create(
        account=account, score=score, reason=reason, expires_on=expires_on, set_by=user
    )
    health_refresh(account_ids=[account.pk])
    return override


#: What ``scored(..., detail=True)`` gives that the stored row and the snapshot need. Not
#: ``health_score``: in SQL it repeats every measure's subqueries that ``health_computed``
#: already holds (2.5 times the time on PostgreSQL); ``_read`` takes the override or else
#: the computed score in Python instead.
STORED = ("pk", "health_computed", "health_override", "health_past")


def _read(rows) -> list[dict]:
    rows = list(rows)
    for row in rows:
        override = row["health_override"]
        row["health_score"] = row["health_computed"] if override is None else override
    return rows


def health_refresh(*, account_ids: list[int], board: Board | None = None) -> int:
    """Store the current score of ``account_ids`` (``AccountHealth``), as the account page
    computes it now; returns how many rows were written (one query to score, one to write).

    Called by the services that change a measure's input here (manual values, overrides),
    by the task the domain events schedule (``health.tasks``) and, for every account, by the
    daily snapshot. Accounts that no longer exist are skipped.
    """
    if not account_ids:
        return 0
    board = board or Board.load()
    rows = _read(
        scored(Account.objects.filter(pk__in=list(account_ids)), board, detail=True).values(*STORED)
    )
    with transaction.atomic():
        _store_current(rows, board)
    return len(rows)


def _store_current(rows: list[dict], board: Board) -> None:
    """Insert or update the ``AccountHealth`` of ``rows`` in one statement."""
    AccountHealth.objects.bulk_create(
        [
            AccountHealth(
                account_id=row["pk"],
                score=row["health_score"],
                computed=row["health_computed"],
                overridden=row["health_override"] is not None,
                change_30d=(
                    None if row["health_past"] is None else row["health_score"] - row["health_past"]
                ),
                computed_at=board.now,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["account"],
        update_fields=["score", "computed", "overridden", "change_30d", "computed_at"],
    )


def snapshot_health(*, day: date | None = None, board: Board | None = None) -> dict[str, int]:
    """Store every account's score for ``day`` (today): one row per account and day.

    Idempotent: a second run the same day updates that day's rows (the score as it is now)
    rather than adding any. An account whose shown score differs from its previous day's
    snapshot gets ``health.changed``. Accounts are read and written in batches of
    ``SNAPSHOT_BATCH``, each batch in its own transaction, so 10,000 accounts do not hold one
    long write lock. Each batch also refreshes the accounts' stored current score
    (``AccountHealth``): the daily pass that catches what time alone moves (a KPI or task
    falling overdue, an override expiring, a closure leaving the 90 days).
    """
    board = board or Board.load()
    day = day or board.today
    counts = {"created": 0, "updated": 0, "changed": 0}
    last_id = 0
    while True:
        batch = _read(
            scored(Account.objects.filter(pk__gt=last_id), board, detail=True)
            .order_by("pk")
            .values(*STORED)[:SNAPSHOT_BATCH]
        )
        if not batch:
            return counts
        last_id = batch[-1]["pk"]
        with transaction.atomic():
            _store(batch, day, board, counts)
            _store_current(batch, board)


def _store(batch: list[dict], day: date, board: Board, counts: dict[str, int]) -> None:
    ids = [row["pk"] for row in batch]
    existing = {s.account_id: s for s in Snapshot.objects.filter(account_id__in=ids, day=day)}
    previous = {}
    for snap in (
        Snapshot.objects.filter(account_id__in=ids, day__lt=day)
        .order_by("account_id", "-day")
        .values("account_id", "score")
    ):
        previous.setdefault(snap["account_id"], snap["score"])
    new, replaced = [], 0
    for row in batch:
        account_id, score = row["pk"], row["health_score"]
        before = previous.get(account_id)
        snap = existing.get(account_id)
        if snap is not None:
            replaced += 1
            before = snap.score  # a second run compares with what the first one stored
        new.append(
            Snapshot(
                account_id=account_id,
                day=day,
                score=score,
                computed=row["health_computed"],
                colour=board.settings.colour_of(score),
                overridden=row["health_override"] is not None,
                change=None if previous.get(account_id) is None else score - previous[account_id],
                taken_at=board.now,
            )
        )
        if before is not None and before != score:
            counts["changed"] += 1
            emit(
                "health.changed",
                actor_id=None,
                account_id=account_id,
                previous=before,
                score=score,
            )
    # A second run the same day replaces the day's rows: one DELETE and one INSERT per batch
    # (bulk_update's CASE per row was four times slower than taking the snapshot at all).
    if existing:
        Snapshot.objects.filter(account_id__in=list(existing), day=day).delete()
    Snapshot.objects.bulk_create(new)
    counts["created"] += len(new) - replaced
    counts["updated"] += replaced
