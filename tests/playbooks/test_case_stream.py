"""The activity stream as a workspace (issue 12, item 8): a compose box for a comment
(customer visible) or a work note (internal) while the case is open, a filter to
comments, work notes or changes; and the case page's fixed query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.text import LONG_TEXT
from playbooks import services
from playbooks.models import JournalEntry

from .conftest import work_until

HTMX = {"HTTP_HX_REQUEST": "true"}


def post(client, case, **data):
    return client.post(f"/cases/{case.number}/journal/", data, follow=True)


def test_the_assignee_posts_a_comment_from_the_compose_box(client_for, agent, open_case):
    client = client_for("agent")
    page = client.get(open_case.get_absolute_url()).text
    assert "Comment — customer visible" in page and "Work note — internal" in page
    response = post(client, open_case, kind="comment", text="We start Monday.")
    assert "Comment posted." in response.text
    entry = JournalEntry.objects.filter(case=open_case).latest("pk")
    assert (entry.kind, entry.body, entry.author) == ("comment", "We start Monday.", agent)


def test_a_work_note_through_htmx_returns_the_case_body(client_for, agent, open_case):
    response = client_for("agent").post(
        f"/cases/{open_case.number}/journal/",
        {"kind": "work_note", "text": "Call the CFO first."},
        **HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="case-body">')
    assert "Call the CFO first." in response.text
    assert JournalEntry.objects.filter(case=open_case, kind="work_note").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "comment", "text": "   "}, "Enter a comment or work note."),
        ({"kind": "comment", "text": "x" * (LONG_TEXT + 1)}, "at most 5000 characters"),
        ({"kind": "change", "text": "Sneaky"}, "Select a valid choice."),
        ({"text": "No kind"}, "Choose Comment or Work note."),
    ],
)
def test_bad_input_is_told_next_to_the_field(client_for, open_case, data, message):
    before = JournalEntry.objects.count()
    response = client_for("agent").post(f"/cases/{open_case.number}/journal/", data)
    assert response.status_code == 200
    assert message in response.text
    assert JournalEntry.objects.count() == before


def test_a_closed_case_has_no_compose_box_and_refuses_a_post(client_for, closed_case):
    client = client_for("agent")
    assert 'class="compose"' not in client.get(closed_case.get_absolute_url()).text
    before = JournalEntry.objects.count()
    response = post(client, closed_case, kind="comment", text="Late")
    assert f"{closed_case.number} is closed; it can no longer change." in response.text
    assert JournalEntry.objects.count() == before


@pytest.mark.parametrize("who", ["other_agent", "csm", "participant", "manager", "no_role_user"])
def test_others_may_not_post(client_for, open_case, who):
    client = client_for(who)
    before = JournalEntry.objects.count()
    response = client.post(f"/cases/{open_case.number}/journal/", {"kind": "comment", "text": "x"})
    assert response.status_code == 403
    assert JournalEntry.objects.count() == before
    if who != "no_role_user":
        assert 'class="compose"' not in client.get(open_case.get_absolute_url()).text


def test_the_stream_filters_to_one_kind(client_for, agent, open_case):
    client = client_for("csm")
    services.journal_post(case_pk=open_case.pk, user=agent, kind="comment", text="For you")
    services.journal_post(case_pk=open_case.pk, user=agent, kind="work_note", text="For us")
    url = open_case.get_absolute_url()

    def stream(query: str) -> str:
        html = client.get(url + query).text
        return html.split('data-testid="stream"', 1)[1].split("</ol>", 1)[0]

    comments = stream("?stream=comment")
    assert "For you" in comments and "For us" not in comments and "Phase</strong>" not in comments
    notes = stream("?stream=work_note")
    assert "For us" in notes and "For you" not in notes
    changes = stream("?stream=change")
    assert "Phase</strong>" in changes and "For you" not in changes and "For us" not in changes
    everything = stream("?stream=bogus")
    assert "For you" in everything and "For us" in everything and "Phase</strong>" in everything


def _fill(case, agent, *, journal: int, meetings: int, tasks: int) -> None:
    start = timezone.now() - timedelta(days=1)
    for i in range(meetings):
        services.meeting_create(
            case_pk=case.pk,
            user=agent,
            data={"subject": f"Meeting {i}", "start": start, "end": start + timedelta(hours=1)},
            schedule=True,
        )
    for i in range(tasks):
        services.task_create(
            case_pk=case.pk,
            user=agent,
            data={"short_description": f"T{i}", "due_date": start.date(), "assigned_to": agent},
        )
    JournalEntry.objects.bulk_create(
        JournalEntry(case=case, author=agent, kind="work_note", body=f"note {i}")
        for i in range(journal)
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("activity", ["Related meeting", "Related work"])
def test_the_case_page_costs_the_same_with_200_entries_30_meetings_30_tasks(
    client_for, agent, engagement, activity
):
    small = services.success_case_create(engagement=engagement, user=agent).case
    large = services.success_case_create(engagement=engagement, user=agent).case
    for case in (small, large):
        work_until(case, agent, activity)
    _fill(small, agent, journal=5, meetings=5, tasks=5)
    _fill(large, agent, journal=200, meetings=30, tasks=30)
    client = client_for("agent")
    _queries(client, small.get_absolute_url())  # the first request of a session reads more
    assert _queries(client, large.get_absolute_url()) == _queries(client, small.get_absolute_url())
    assert _queries(client, large.get_absolute_url() + "?stream=comment") == _queries(
        client, small.get_absolute_url() + "?stream=comment"
    )
