"""The private calendar feed (iCalendar, RFC 5545) built with the ``icalendar`` library."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event

from .selectors import FeedData
from .tasks import absolute


def _event(uid: str, summary: str, url: str, **times) -> Event:
    event = Event()
    event.add("uid", f"{uid}@successhub")
    event.add("summary", summary)
    event.add("dtstamp", timezone.now())
    for name, value in times.items():
        event.add(name, value)
    event.add("url", absolute(url))
    event.add("description", absolute(url))
    return event


def feed_calendar(data: FeedData, *, name: str) -> bytes:
    """Meetings as timed events; due tasks as all-day events on their due date."""
    calendar = Calendar()
    calendar.add("prodid", "-//SuccessHub//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for meeting in data.meetings:
        event = _event(
            f"meeting-{meeting.pk}",
            f"{meeting.subject} ({meeting.case.number})",
            reverse("playbooks:case-detail", args=[meeting.case.number]),
            dtstart=meeting.start,
            dtend=meeting.end,
        )
        if meeting.location:
            event.add("location", meeting.location)
        calendar.add_component(event)
    for task in data.case_tasks:
        calendar.add_component(
            _event(
                f"case-task-{task.pk}",
                f"Due: {task.number} {task.short_description}",
                reverse("playbooks:case-detail", args=[task.case.number]),
                dtstart=task.due_date,
                dtend=task.due_date + timedelta(days=1),
            )
        )
    for task in data.plan_tasks:
        calendar.add_component(
            _event(
                f"plan-task-{task.pk}",
                f"Due: {task.name} ({task.plan.name})",
                reverse("successplans:task-detail", args=[task.pk]),
                dtstart=task.end_date,
                dtend=task.end_date + timedelta(days=1),
            )
        )
    return calendar.to_ical()
