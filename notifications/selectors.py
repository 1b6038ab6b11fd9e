"""Reads of the notifications app: a user's list, the bell's count, the calendar feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from django.db.models import Q
from django.db.models import QuerySet
from django.utils import timezone

from playbooks.models import OPEN_MEETING_STATES
from playbooks.models import OPEN_TASK_STATES
from playbooks.models import CaseTask
from playbooks.models import Meeting
from successplans.models import DONE_STATUSES
from successplans.models import PlaybookTask

from .models import DEFAULT_DELIVERY
from .models import CalendarFeed
from .models import Kind
from .models import Notification
from .models import NotificationPreference

#: What the feed covers: from a month back to a year ahead (calendar apps poll it often).
FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)
#: At most this many of each kind in the feed, soonest first: its size has a ceiling.
FEED_LIMIT = 500


def notifications_for(user) -> QuerySet[Notification]:
    """``user``'s notifications, newest first (their index's order)."""
    return Notification.objects.filter(user=user).order_by("-created", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_of(user, pk: int) -> Notification | None:
    """``user``'s notification ``pk``; None for another user's or an unknown one (a number
    too large for the database too: Django's lookup then matches nothing)."""
    return Notification.objects.filter(user=user, pk=pk).first()


def preferences_of(user) -> dict[str, str]:
    """Kind → delivery for ``user``, defaults filled in, in the order of ``Kind``."""
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("event", "delivery"))
    return {kind: saved.get(kind, DEFAULT_DELIVERY[kind]) for kind in Kind.values}


def feed_of(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


@dataclass(frozen=True)
class FeedData:
    meetings: list[Meeting]
    case_tasks: list[CaseTask]
    plan_tasks: list[PlaybookTask]


def feed_data(user, *, today: date | None = None) -> FeedData:
    """The feed's rows: meetings ``user`` attends or organized, open case tasks assigned to
    them and open playbook tasks they are a resource of, with a date in the window. Three
    queries whatever the data size."""
    today = today or timezone.localdate()
    start, end = today - FEED_PAST, today + FEED_AHEAD
    window = {"start": start, "end": end}
    meetings = _in_window(
        Meeting.objects.filter(
            Q(attendees=user) | Q(created_by=user) | Q(case__assigned_to=user),
            state__in=OPEN_MEETING_STATES,
        ).distinct(),
        on="start__date",
        order="start",
        related="case",
        **window,
    )
    case_tasks = _in_window(
        CaseTask.objects.filter(assigned_to=user, state__in=OPEN_TASK_STATES),
        on="due_date",
        related="case",
        **window,
    )
    plan_tasks = _in_window(
        PlaybookTask.objects.filter(resources__user=user, plan__is_template=False).exclude(
            status__in=DONE_STATUSES
        ),
        on="end_date",
        related="plan",
        **window,
    )
    return FeedData(list(meetings), list(case_tasks), list(plan_tasks))


def _in_window(rows, *, on: str, start: date, end: date, related: str, order: str = ""):
    """``rows`` whose date ``on`` is from ``start`` to ``end``, with their ``related`` row,
    earliest first (by ``order``, ``on`` unless given), at most FEED_LIMIT."""
    return (
        rows.filter(**{f"{on}__gte": start, f"{on}__lte": end})
        .select_related(related)
        .order_by(order or on, "pk")[:FEED_LIMIT]
    )
