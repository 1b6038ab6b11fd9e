"""A success case in Assist, through the real pages in Chromium: the agent cancels it,
other roles see it read-only, and the open activity's task buttons are not covered.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from playbooks import services
from playbooks.models import ActivityState
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import TaskState
from tests.browser.case_playbook import _case_in_assist
from tests.browser.case_playbook import _current
from tests.browser.case_playbook import _in_progress
from tests.browser.case_playbook import _user

READ_ONLY_NOTE = "Read-only: only the assigned agent and the squad work this case."


def test_agent_cancels_a_success_case_in_assist(demo, sign_in, page):
    case = _case_in_assist(with_meeting_and_task=True)
    task_number = case.tasks.get().number
    sign_in("agent")
    page.goto(f"{demo.url}{case.get_absolute_url()}")
    expect(page.get_by_test_id("case-phase")).to_have_text("Assist")

    page.get_by_role("link", name="Cancel", exact=True).click()

    # The preview names everything that will be canceled.
    expect(page.get_by_role("heading", name=f"Cancel {case.number}")).to_be_visible()
    preview = page.get_by_test_id("cancel-preview")
    expect(preview).to_contain_text("Assist, Review & Close")
    for pending in (
        "Communicate the intended outcome (In progress)",
        "Define the action plan (Pending)",
        "Related meeting (Pending)",
        "Related work (Pending)",
        "Communicate the final outcome (Pending)",
        "Close record (Pending)",
    ):
        expect(preview).to_contain_text(pending)
    expect(preview).to_contain_text("Activities (6)")
    expect(preview).not_to_contain_text("Enter core information")
    expect(preview).to_contain_text("Ward leads sync (Scheduled)")
    expect(preview).to_contain_text(f"{task_number} (New)")

    # Without a reason the form is shown again with the error at the field.
    page.get_by_role("button", name="Cancel success case").click()
    reason = page.get_by_label("Reason for canceling")
    field = page.locator(".field").filter(has=reason)
    expect(field).to_contain_text("Give a reason for canceling.")
    expect(page.get_by_test_id("cancel-preview")).to_be_visible()
    case.refresh_from_db()
    assert case.phase == Phase.ASSIST

    reason.fill("The customer paused the rollout until next year.")
    page.get_by_role("button", name="Cancel success case").click()

    expect(page.get_by_test_id("case-state")).to_have_text("Canceled")
    expect(page.get_by_test_id("case-progress")).to_have_text("Canceled")
    expect(page.get_by_role("status")).to_contain_text(f"{case.number} is canceled.")
    expect(page.get_by_role("note")).to_have_text("This success case is canceled and read-only.")
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    expect(page.get_by_test_id("lane-1").get_by_role("heading")).to_contain_text("Complete")
    for lane in (2, 3):
        lane_heading = page.get_by_test_id(f"lane-{lane}").get_by_role("heading")
        expect(lane_heading).to_contain_text("Canceled")

    case.refresh_from_db()
    assert case.phase == Phase.CANCELED
    assert case.closed_by.username == "agent"
    assert case.cancel_reason == "The customer paused the rollout until next year."
    states = dict(case.activities.values_list("name", "state"))
    assert states == {
        "Select engagement": ActivityState.COMPLETE,
        "Enter core information": ActivityState.COMPLETE,
        "Add squad": ActivityState.COMPLETE,
        "Communicate the intended outcome": ActivityState.CANCELED,
        "Define the action plan": ActivityState.CANCELED,
        "Related meeting": ActivityState.CANCELED,
        "Related work": ActivityState.CANCELED,
        "Communicate the final outcome": ActivityState.CANCELED,
        "Close record": ActivityState.CANCELED,
    }
    assert [m.state for m in case.meetings.all()] == [MeetingState.CANCELED]
    assert [t.state for t in case.tasks.all()] == [TaskState.CANCELED]


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("csm", id="customer-success-in-the-squad"),
        pytest.param("agent2", id="agent-neither-assignee-nor-squad"),
    ],
)
def test_others_see_the_case_of_an_agent_read_only(demo, sign_in, page, username):
    # csm is in the squad, but Customer Success may only view success cases.
    case = _case_in_assist(with_meeting_and_task=True, squad=("agent", "csm"))
    sign_in(username)
    page.get_by_role("navigation", name="Workspace").get_by_role(
        "link", name="Success Cases"
    ).click()
    expect(page.get_by_role("link", name="New", exact=True)).to_have_count(
        1 if username == "agent2" else 0
    )
    page.get_by_role("link", name=case.number).click()

    expect(page.get_by_test_id("case-number")).to_have_text(case.number)
    expect(page.get_by_test_id("case-state")).to_have_text("Open")
    expect(page.get_by_role("note")).to_have_text(READ_ONLY_NOTE)
    expect(
        page.get_by_role("heading", name="Assist · Communicate the intended outcome")
    ).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_test_id("meetings")).to_contain_text("Ward leads sync")
    expect(main.get_by_test_id("tasks")).to_contain_text(case.tasks.get().number)
    for name in ("Mark Complete", "Send and continue", "Close success case"):
        expect(main.get_by_role("button", name=name)).to_have_count(0)
    # Only the squad: a member may leave it, another Success Agent may join it (issue 12).
    squad_button = "Leave squad" if username == "csm" else "Join squad"
    expect(main.get_by_role("button")).to_have_text([squad_button])
    expect(main.locator("form")).to_have_count(1)
    for name in ("Cancel", "Edit", "New meeting", "Create Task"):
        expect(main.get_by_role("link", name=name, exact=True)).to_have_count(0)


COVERED_BY = """button => {
    button.scrollIntoView({block: "center"});
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    if (button.contains(hit)) return null;
    const cover = hit && hit.closest("[aria-label]");
    return cover ? cover.getAttribute("aria-label") : String(hit && hit.tagName);
}"""


def test_task_buttons_of_the_open_activity_are_not_covered(demo, sign_in, page):
    case = _case_in_assist(with_meeting_and_task=True)
    agent = _user("agent")
    for _kind in ("comment", "work note"):
        services.activity_complete(
            case_pk=case.pk, activity_pk=_in_progress(case).pk, user=agent, data={"text": "x"}
        )
    services.record_transition(
        case_pk=case.pk, user=agent, record=case.meetings.get(), name="complete"
    )
    services.activity_complete(case_pk=case.pk, activity_pk=_in_progress(case).pk, user=agent)
    task_number = case.tasks.get().number
    assert page.viewport_size == {"width": 1280, "height": 720}
    sign_in("agent")
    page.goto(f"{demo.url}{case.get_absolute_url()}")

    work = _current(page, "Assist · Related work")
    buttons = work.get_by_test_id("tasks").get_by_role("button")
    expect(buttons).to_have_count(3)
    covered = {
        label: buttons.nth(index).evaluate(COVERED_BY)
        for index, label in enumerate(buttons.all_inner_texts())
    }
    assert covered == {"Cancel task": None, "Complete": None, "Start work": None}, (
        f"{task_number}: buttons covered by other elements: {covered}"
    )
