"""The success case playbook of the seed, driven through the real pages in Chromium.

New → Select engagement → Continue, then every activity of Initiate, Assist and
Review & Close up to Close success case. The case page works through htmx (each form
swaps ``#case-body``); meetings and tasks are created on pages of their own. Canceling,
the read-only page and the task buttons: test_success_case_in_assist.py.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from playbooks.models import ActivityState
from playbooks.models import MeetingState
from playbooks.models import Phase
from playbooks.models import Priority
from playbooks.models import SuccessCase
from playbooks.models import TaskState
from tests.browser.case_playbook import ENGAGEMENT
from tests.browser.case_playbook import _activity
from tests.browser.case_playbook import _card
from tests.browser.case_playbook import _current

COMMENT = "Outcome: every ward charts in the new system by the end of the quarter."
WORK_NOTE = "Plan: train the ward leads first, then weekly office hours."
FINAL_COMMENT = "All wards chart in the new system; adoption is at 94%."


def test_agent_works_a_success_case_from_new_to_closed(demo, sign_in, page):
    sign_in("agent")

    # Customer Success > All Success Cases > New
    nav = page.get_by_role("navigation", name="Workspace")
    nav.get_by_role("link", name="Success Cases").click()
    expect(page.get_by_role("heading", name="All Success Cases")).to_be_visible()
    page.get_by_role("link", name="New", exact=True).click()

    # Initiate · Select engagement: the Number is filled in; search, pick, Continue.
    expect(page.get_by_role("heading", name="New success case")).to_be_visible()
    number_field = page.get_by_label("Number", exact=True)
    expect(number_field).to_have_value(re.compile(r"^SCS\d{7}$"))
    expect(number_field).not_to_be_editable()
    number = number_field.input_value()

    page.get_by_label("Engagement", exact=True).fill("contoso")
    matches = page.get_by_role("radiogroup", name="Matching open engagements").get_by_role("radio")
    expect(matches).to_have_count(2)  # Contoso Health's two open engagements
    page.get_by_role("radio", name=f"Contoso Health: {ENGAGEMENT}").check()
    page.get_by_role("button", name="Continue").click()

    # The case page: Select engagement is done, Enter core information is open.
    expect(page.get_by_test_id("case-number")).to_have_text(number)
    expect(page.get_by_role("status")).to_contain_text(f"Success case {number} created.")
    expect(page.get_by_test_id("case-state")).to_have_text("Open")
    expect(page.get_by_test_id("case-progress")).to_have_text("In progress")
    expect(page.get_by_test_id("case-phase")).to_have_text("Initiate")
    expect(_activity(page, 1, "Select engagement")).to_contain_text("Complete")
    expect(_activity(page, 1, "Enter core information")).to_contain_text("In progress")
    expect(_activity(page, 1, "Add squad")).to_contain_text("Pending")

    # Enter core information → Mark Complete.
    core = _current(page, "Initiate · Enter core information")
    core.get_by_label("Short description").fill("Clinical rollout success")
    core.get_by_label("Priority").select_option(label="2 - High")
    core.get_by_label("Assigned to").select_option(label="Alex Agent")
    core.get_by_label("Planned start").fill("2026-03-02")
    core.get_by_label("Planned end").fill("2026-06-30")
    core.get_by_role("button", name="Mark Complete").click()

    # Add squad: two members → Mark Complete; the Assist lane opens.
    squad = _current(page, "Initiate · Add squad")
    expect(_activity(page, 1, "Enter core information")).to_contain_text("Complete")
    squad.get_by_label("Sam Rivera").check()
    squad.get_by_label("Casey Morgan").check()
    squad.get_by_role("button", name="Mark Complete").click()
    expect(page.get_by_test_id("case-phase")).to_have_text("Assist")
    expect(page.get_by_test_id("lane-1").get_by_role("heading")).to_contain_text("Complete")

    # Communicate the intended outcome: a comment → Send and continue.
    outcome = _current(page, "Assist · Communicate the intended outcome")
    outcome.get_by_label("Additional comments (customer visible)").fill(COMMENT)
    outcome.get_by_role("button", name="Send and continue").click()

    # Define the action plan: a work note → Send and continue.
    plan = _current(page, "Assist · Define the action plan")
    plan.get_by_label("Work notes (internal)").fill(WORK_NOTE)
    plan.get_by_role("button", name="Send and continue").click()

    # Related meeting: New meeting, scheduled now.
    meetings = _current(page, "Assist · Related meeting")
    meetings.get_by_role("link", name="New meeting").click()
    expect(page.get_by_role("heading", name="New meeting")).to_be_visible()
    page.get_by_label("Subject").fill("Kickoff with ward leads")
    page.get_by_label("Start", exact=True).fill("2026-03-03T10:00")
    page.get_by_label("End", exact=True).fill("2026-03-03T11:00")
    page.get_by_label("Location or link").fill("https://meet.example.com/kickoff")
    expect(page.get_by_label("Schedule now")).to_be_checked()
    page.get_by_role("button", name="Create meeting").click()

    # Back on the case: Mark Complete is shown disabled while the meeting is open.
    meetings = _current(page, "Assist · Related meeting")
    open_meetings = meetings.get_by_test_id("meetings")
    expect(
        open_meetings.get_by_role("row").filter(has_text="Kickoff with ward leads")
    ).to_contain_text("Scheduled")
    expect(meetings.get_by_role("button", name="Mark Complete")).to_be_disabled()
    expect(page.get_by_test_id("gate")).to_have_text(
        "Mark Complete is not possible yet: 1 meeting is still open: Kickoff with ward leads."
    )
    expect(page.get_by_test_id("case-phase")).to_have_text("Assist")
    expect(_current(page, "Assist · Related meeting")).to_be_visible()

    # Complete the meeting; now Mark Complete goes through.
    meetings.get_by_role("button", name="Complete Kickoff with ward leads").click()
    expect(open_meetings).to_contain_text("No meetings.")
    expect(page.get_by_test_id("gate")).to_have_count(0)
    meetings.get_by_role("button", name="Mark Complete").click()

    # Related work: Create Task.
    work = _current(page, "Assist · Related work")
    expect(_activity(page, 2, "Related meeting")).to_contain_text("Complete")
    work.get_by_role("link", name="Create Task").click()
    expect(page.get_by_role("heading", name="Create Task")).to_be_visible()
    page.get_by_label("Short description").fill("Train the ward leads")
    page.get_by_label("Assigned to").select_option(label="Sam Rivera")
    page.get_by_label("Due date").fill("2026-03-20")
    page.get_by_role("button", name="Create Task").click()

    work = _current(page, "Assist · Related work")
    task_link = work.get_by_test_id("tasks").get_by_role("link", name=re.compile(r"^SCTASK\d{7}$"))
    expect(task_link).to_have_count(1)
    task_number = task_link.inner_text()
    expect(work.get_by_role("button", name="Mark Complete")).to_be_disabled()
    expect(page.get_by_test_id("gate")).to_have_text(
        f"Mark Complete is not possible yet: 1 task is still open: {task_number}."
    )
    expect(page.get_by_test_id("case-phase")).to_have_text("Assist")

    # Start work, then Complete the task; Mark Complete opens Review & Close.
    # An open task is listed once, in the open activity's card; once complete it moves
    # to the "Success case tasks" card, without buttons.
    work = _current(page, "Assist · Related work")
    all_tasks = _card(page, "Success case tasks")
    expect(all_tasks.get_by_role("row").filter(has_text=task_number)).to_have_count(0)
    task_row = work.get_by_role("row").filter(has_text=task_number)
    work.get_by_role("button", name=f"Start work {task_number}").click()
    expect(task_row).to_contain_text("In progress")
    work.get_by_role("button", name=f"Complete {task_number}").click()
    expect(work.get_by_test_id("tasks")).to_contain_text("No tasks.")
    done_row = all_tasks.get_by_role("row").filter(has_text=task_number)
    expect(done_row).to_contain_text("Complete")
    expect(done_row.get_by_role("button")).to_have_count(0)
    work.get_by_role("button", name="Mark Complete").click()
    expect(page.get_by_test_id("case-phase")).to_have_text("Review & Close")

    # Review & Close: Communicate the final outcome → Send and continue.
    final = _current(page, "Review & Close · Communicate the final outcome")
    final.get_by_label("Additional comments (customer visible)").fill(FINAL_COMMENT)
    final.get_by_role("button", name="Send and continue").click()

    # Close record: Closure code and Close notes → Mark Complete.
    close = _current(page, "Review & Close · Close record")
    close.get_by_label("Closure code").select_option(label="Outcome achieved")
    close.get_by_label("Close notes").fill("Rollout done on every ward.")
    close.get_by_role("button", name="Mark Complete").click()

    # Every activity is complete: Close success case.
    expect(page.get_by_role("heading", name="All activities are complete")).to_be_visible()
    page.get_by_role("button", name="Close success case").click()
    expect(page.get_by_test_id("case-state")).to_have_text("Closed")
    expect(page.get_by_test_id("case-progress")).to_have_text("Completed")
    expect(page.get_by_role("status")).to_contain_text(f"{number} is closed. Progress: Completed.")
    expect(page.get_by_role("note")).to_have_text("This success case is closed and read-only.")
    for lane in (1, 2, 3):
        lane_heading = page.get_by_test_id(f"lane-{lane}").get_by_role("heading")
        expect(lane_heading).to_contain_text("Complete")

    # Read-only: no form, no button, no link to change anything.
    main = page.get_by_role("main")
    expect(main.locator("form")).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    for name in ("Cancel", "New meeting", "Create Task"):
        expect(main.get_by_role("link", name=name, exact=True)).to_have_count(0)

    # The activity stream shows the comments and the work note.
    stream = page.get_by_role("complementary", name="Activity stream")
    expect(stream).to_contain_text(COMMENT)
    expect(stream).to_contain_text(WORK_NOTE)
    expect(stream).to_contain_text(FINAL_COMMENT)

    # The same survives a full reload (not only the htmx fragment).
    page.reload()
    expect(page.get_by_test_id("case-state")).to_have_text("Closed")
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)

    case = SuccessCase.objects.get(number=number)
    assert case.phase == Phase.CLOSED
    assert case.closed_by.username == "agent"
    assert case.closed_at is not None
    assert case.closure_code.name == "Outcome achieved"
    assert case.short_description == "Clinical rollout success"
    assert case.priority == Priority.HIGH
    assert sorted(u.username for u in case.squad.all()) == ["agent2", "csm"]
    states = list(case.activities.values_list("name", "state"))
    assert len(states) == 9
    assert {state for _name, state in states} == {ActivityState.COMPLETE}, states
    assert [m.state for m in case.meetings.all()] == [MeetingState.COMPLETE]
    assert [(t.number, t.state) for t in case.tasks.all()] == [(task_number, TaskState.COMPLETE)]
