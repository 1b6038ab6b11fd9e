"""The private calendar feed: a secret URL per user, revocable; meetings and due tasks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from notifications import services
from notifications.models import CalendarFeed
from playbooks import services as case_services
from tests.factories import ResourceFactory
from tests.successplans.factories import PlaybookTaskFactory
from tests.successplans.factories import SuccessPlanFactory


def add_meetings(case, agent, attendee, count: int, subject="Kickoff"):
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    for i in range(count):
        case_services.meeting_create(
            case_pk=case.pk,
            user=agent,
            data={
                "subject": f"{subject} {i}",
                "start": start + timedelta(hours=i),
                "end": start + timedelta(hours=i, minutes=30),
                "attendees": [attendee],
            },
        )


def add_tasks(case, agent, assignee, count: int):
    for i in range(count):
        case_services.task_create(
            case_pk=case.pk,
            user=agent,
            data={
                "short_description": f"Send the quote {i}",
                "assigned_to": assignee,
                "due_date": timezone.localdate() + timedelta(days=3),
            },
        )


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_has_my_meetings_and_due_tasks(client, agent, other_agent, case):
    add_meetings(case, agent, other_agent, 1)
    add_tasks(case, agent, other_agent, 1)
    resource = ResourceFactory(user=other_agent)
    today = timezone.localdate()
    plan = SuccessPlanFactory(name="Adoption plan", effective_date=today - timedelta(days=10))
    PlaybookTaskFactory(
        plan=plan,
        name="Run the training",
        start_date=today,
        end_date=today + timedelta(days=5),
        resources=[resource],
    )
    feed = services.calendar_feed_renew(user=other_agent)

    response = client.get(f"/calendar/{feed.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    meeting = found[f"Kickoff 0 ({case.number})"]
    assert meeting["dtstart"].dt > timezone.now()
    assert str(meeting["url"]) == f"http://localhost:8000/cases/{case.number}/"
    task_summary = next(s for s in found if s.startswith("Due: SCTASK"))
    assert task_summary.endswith("Send the quote 0")
    assert found[task_summary]["dtstart"].dt == timezone.localdate() + timedelta(days=3)
    assert "Due: Run the training (Adoption plan)" in found


def test_the_feed_is_mine_only(client, agent, other_agent, case):
    add_meetings(case, agent, agent, 1, subject="Agent only")
    feed = services.calendar_feed_renew(user=other_agent)
    assert events(client.get(f"/calendar/{feed.token}.ics")) == {}


@pytest.mark.parametrize("secret", ["not-a-token", "x" * 5000])
def test_a_wrong_token_is_404(client, db, secret):
    assert client.get(f"/calendar/{secret}.ics").status_code == 404


def test_a_nul_in_the_token_is_refused_before_the_feed(client, db):
    """core.middleware.RefuseNulMiddleware answers 400 before any view."""
    assert client.get("/calendar/%00.ics").status_code == 400


def test_revoking_makes_the_old_url_404(client_for, client, agent):
    feed = services.calendar_feed_renew(user=agent)
    response = client_for("agent").post("/notifications/calendar/revoke/", follow=True)
    assert "Your calendar URL is revoked" in response.text
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(user=agent).exists()


def test_a_new_url_replaces_the_old_one(client_for, client, agent):
    old = services.calendar_feed_renew(user=agent).token
    response = client_for("agent").post("/notifications/calendar/renew/", follow=True)
    new = CalendarFeed.objects.get(user=agent).token
    assert new != old
    assert "the previous one no longer works" in response.text
    assert f"/calendar/{new}.ics" in response.text
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_a_deactivated_users_feed_is_404(client, agent):
    feed = services.calendar_feed_renew(user=agent)
    agent.is_active = False
    agent.save()
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


@pytest.mark.parametrize("size", [2, 30])
def test_the_feed_costs_the_same_at_any_size(
    client, agent, other_agent, case, django_assert_max_num_queries, size
):
    add_meetings(case, agent, other_agent, size)
    add_tasks(case, agent, other_agent, size)
    feed = services.calendar_feed_renew(user=other_agent)
    # the feed (with its user), meetings, case tasks, playbook tasks
    with django_assert_max_num_queries(4):
        response = client.get(f"/calendar/{feed.token}.ics")
    assert len(events(response)) == 2 * size
