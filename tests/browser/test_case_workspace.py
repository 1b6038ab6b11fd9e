"""The case page as a workspace (issue 12), driven in Chromium: close early, meeting and
task transitions from their own pages, the gate you can see, the stream's compose box,
narrow screens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from engagements.models import Engagement
from playbooks import services
from playbooks.models import ActivityState
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import PlaybookState
from playbooks.models import SuccessCase
from playbooks.models import TaskState
from tests.factories import work_case_until

from .case_playbook import _case_in_assist


def test_agent_closes_a_case_early_from_assist(demo, sign_in, page, live_server):
    case = _case_in_assist(with_meeting_and_task=True)
    sign_in("agent")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.get_by_test_id("playbook-state")).to_have_text("In progress")
    page.get_by_role("link", name="Close success case").click()

    # The preview names what closing early cancels, as Cancel does.
    expect(page.get_by_role("heading", name=f"Close {case.number}")).to_be_visible()
    preview = page.get_by_test_id("cancel-preview")
    expect(preview).to_contain_text("Assist, Review & Close")
    expect(preview).to_contain_text("Ward leads sync (Scheduled)")
    expect(preview).to_contain_text("SCTASK")

    # Without a closure code: told next to the field, nothing changed.
    page.get_by_role("button", name="Close success case").click()
    expect(page.get_by_text("Select the Closure code.")).to_be_visible()
    assert SuccessCase.objects.get(pk=case.pk).phase == Phase.ASSIST

    page.get_by_label("Closure code").select_option(label="Outcome achieved")
    page.get_by_label("Close notes").fill("Every ward went live before the planned review.")
    page.get_by_role("button", name="Close success case").click()

    expect(page.get_by_test_id("case-state")).to_have_text("Closed")
    expect(page.get_by_test_id("playbook-state")).to_have_text("Canceled")
    expect(page.get_by_test_id("lane-2").locator("h2")).to_contain_text("Canceled")
    expect(page.get_by_test_id("lane-3").locator("h2")).to_contain_text("Canceled")
    case.refresh_from_db()
    assert (case.phase, case.playbook_state) == (Phase.CLOSED, PlaybookState.CANCELED)
    assert case.meetings.get().state == MeetingState.CANCELED
    assert case.tasks.get().state == TaskState.CANCELED
    assert not case.activities.filter(state=ActivityState.IN_PROGRESS).exists()


def _case_at(activity: str, **records) -> SuccessCase:
    """A case of ``agent`` worked through the services until ``activity`` is open."""
    agent = get_user_model().objects.get(username="agent")
    engagement = Engagement.objects.get(name="Clinical rollout adoption")
    case = services.success_case_create(engagement=engagement, user=agent).case
    work_case_until(case, agent, activity)
    ended = timezone.now() - timedelta(days=2)
    for subject in records.get("meetings", ()):
        services.meeting_create(
            case_pk=case.pk,
            user=agent,
            data={"subject": subject, "start": ended - timedelta(hours=1), "end": ended},
            schedule=True,
        )
    for text in records.get("tasks", ()):
        services.task_create(
            case_pk=case.pk,
            user=agent,
            data={"short_description": text, "due_date": ended.date()},
        )
    return case


def test_agent_completes_a_meeting_and_a_task_from_their_own_pages(demo, sign_in, page):
    case = _case_at("Related meeting", meetings=["Ward leads sync"])
    sign_in("agent")
    page.goto(f"{demo.url}{case.get_absolute_url()}")

    # The gate: Mark Complete disabled, the reason and the meeting's link beside it.
    mark_complete = page.get_by_role("button", name="Mark Complete")
    expect(mark_complete).to_be_disabled()
    gate = page.get_by_test_id("gate")
    expect(gate).to_have_text(
        "Mark Complete is not possible yet: 1 meeting is still open: Ward leads sync."
    )
    expect(page.get_by_test_id("past-due")).to_have_text("Past due 2 days")
    gate.get_by_role("link", name="Ward leads sync").click()

    # The meeting's page: its State and the transitions its machine allows, beside Save.
    expect(page.get_by_test_id("record-state")).to_have_text("Scheduled")
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel meeting")).to_be_visible()
    page.get_by_role("button", name="Complete", exact=True).click()

    # Back on the case: told, the gate gone, Mark Complete goes through.
    expect(page.get_by_role("status")).to_have_text("Meeting Ward leads sync is complete.")
    expect(page.get_by_test_id("gate")).to_have_count(0)
    page.get_by_role("button", name="Mark Complete").click()
    expect(page.get_by_role("region", name="Assist · Related work")).to_be_visible()

    # Related work: a task made elsewhere, overdue; the same way through its page.
    agent = get_user_model().objects.get(username="agent")
    task = services.task_create(
        case_pk=case.pk,
        user=agent,
        data={"short_description": "Book rooms", "due_date": timezone.localdate() - timedelta(3)},
    )
    page.reload()
    expect(page.get_by_test_id("overdue")).to_have_text("3 days overdue")
    expect(page.get_by_role("button", name="Mark Complete")).to_be_disabled()
    page.get_by_test_id("gate").get_by_role("link", name=task.number).click()
    expect(page.get_by_test_id("record-state")).to_have_text("New")
    page.get_by_role("button", name="Start work").click()
    expect(page.get_by_role("status")).to_have_text(f"{task.number} is in progress.")
    page.get_by_test_id("gate").get_by_role("link", name=task.number).click()
    expect(page.get_by_test_id("record-state")).to_have_text("In progress")
    page.get_by_role("button", name="Complete", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(f"{task.number} is complete.")
    expect(page.get_by_role("button", name="Mark Complete")).to_be_enabled()
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETE


def test_agent_posts_a_comment_from_the_stream(demo, sign_in, page):
    case = _case_at("Related meeting")
    sign_in("agent")
    page.goto(f"{demo.url}{case.get_absolute_url()}")
    compose = page.get_by_role("form", name="Post to the activity stream")
    compose.get_by_role("button", name="Post").click()
    expect(compose.get_by_text("Enter a comment or work note.")).to_be_visible()

    compose = page.get_by_role("form", name="Post to the activity stream")
    compose.get_by_label("Comment — customer visible").check()
    compose.get_by_label("Text").fill("Training dates are confirmed for next week.")
    compose.get_by_role("button", name="Post").click()
    expect(page.get_by_role("status")).to_have_text("Comment posted.")
    stream = page.get_by_test_id("stream")
    expect(stream.locator("li").first).to_contain_text("Comment — customer visible")
    expect(stream.locator("li").first).to_contain_text("Training dates are confirmed")

    # The filter: only comments, then only changes.
    page.get_by_role("navigation", name="Show in the activity stream").get_by_role(
        "link", name="Comments"
    ).click()
    # The intended outcome's comment and this one; no change, no work note.
    expect(page.get_by_test_id("stream").locator("li")).to_have_count(2)
    expect(page.get_by_test_id("stream")).not_to_contain_text("Work note — internal")
    page.get_by_role("navigation", name="Show in the activity stream").get_by_role(
        "link", name="Changes"
    ).click()
    expect(page.get_by_test_id("stream")).not_to_contain_text("Training dates")
    assert case.journal.filter(kind="comment", body__startswith="Training dates").count() == 1


def test_the_case_page_at_390px_does_not_scroll_sideways(demo, sign_in, page):
    case = _case_at("Related work", tasks=["Book the training rooms"])
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("agent")
    page.goto(f"{demo.url}{case.get_absolute_url()}")
    expect(page.get_by_test_id("case-number")).to_have_text(case.number)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls {overflow}px sideways"
    lanes = [page.get_by_test_id(f"lane-{n}").bounding_box() for n in (1, 2, 3)]
    assert lanes[0]["x"] == lanes[1]["x"] == lanes[2]["x"]  # stacked, not side by side
    assert lanes[0]["y"] < lanes[1]["y"] < lanes[2]["y"]
