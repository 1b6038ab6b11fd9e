"""The case page as a workspace (issue 12), driven in Chromium: close early, meeting and
task transitions from their own pages, the gate you can see, the stream's compose box,
narrow screens."""

from __future__ import annotations

from playwright.sync_api import expect

from playbooks.models import ActivityState
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import PlaybookState
from playbooks.models import SuccessCase
from playbooks.models import TaskState

from .test_success_case_playbook import _case_in_assist


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
