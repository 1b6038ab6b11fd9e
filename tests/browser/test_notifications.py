"""A task assigned by one agent appears in the other's bell; they open it from the list, which
marks it read, mark the rest read, and find the mail the worker sent."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from core.roles import Role
from notifications.models import Notification
from playbooks import services as case_services
from tests.factories import PASSWORD
from tests.factories import EngagementFactory
from tests.factories import UserFactory


def test_a_task_assigned_by_one_agent_rings_the_others_bell(
    live_server, role_groups, page, sign_in, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ana = UserFactory(
        username="t-ana", first_name="Ana", last_name="Ames", roles=[Role.SUCCESS_AGENT]
    )
    ben = UserFactory(
        username="t-ben", first_name="Ben", last_name="Brook", roles=[Role.SUCCESS_AGENT]
    )
    case = case_services.success_case_create(engagement=EngagementFactory(), user=ana).case
    Notification.objects.create(user=ben, event="task_due", text="An older reminder")
    Notification.objects.create(user=ben, event="task_due", text="A newer reminder")

    # Ana creates a task for Ben on her case.
    sign_in("t-ana", PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.number}/tasks/new/")
    expect(page.get_by_test_id("bell")).to_be_visible()
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    page.get_by_label("Short description").fill("Send the renewal quote")
    page.get_by_label("Assigned to").select_option(label="Ben Brook")
    page.get_by_role("button", name="Create Task").click()
    expect(page.get_by_role("heading", name=re.compile(case.number))).to_be_visible()
    page.context.clear_cookies()  # Ana leaves; Ben signs in on the same browser

    # Ben's bell says 3 unread; the list shows the newest first.
    sign_in("t-ben", PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    bell = page.get_by_test_id("bell")
    expect(page.get_by_test_id("bell-count")).to_have_text("3")
    expect(bell).to_have_attribute("aria-label", "Notifications: 3 unread")
    bell.click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    items = page.get_by_test_id("notification")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text("Ana Ames assigned you the task SCTASK")
    expect(items.first).to_contain_text("Send the renewal quote")
    expect(items.nth(1)).to_contain_text("A newer reminder")
    expect(items.nth(2)).to_contain_text("An older reminder")

    # Opening it marks it read and goes to the case.
    items.first.get_by_role("button", name=re.compile("^Ana Ames assigned you the task")).click()
    expect(page).to_have_url(f"{live_server.url}/cases/{case.number}/")
    expect(page.get_by_test_id("bell-count")).to_have_text("2")

    # Mark one read from the list.
    page.get_by_test_id("bell").click()
    expect(items.first).not_to_contain_text("Unread")
    page.get_by_role("button", name="Mark read: A newer reminder").click()
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    expect(items.nth(1)).not_to_contain_text("Unread")

    # Mark all read: the bell has no count any more.
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_role("status")).to_contain_text("1 notification marked read.")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    assert not Notification.objects.filter(user=ben, read_at__isnull=True).exists()

    # The mail went out from the task queue (immediate in tests) after the commit.
    [message] = [m for m in mail.outbox if m.to == [ben.email]]
    assert "Send the renewal quote" in message.subject


def test_a_user_sets_preferences_and_gets_then_revokes_a_calendar_url(
    live_server, role_groups, page, sign_in
):
    UserFactory(username="t-cara", first_name="Cara", roles=[Role.CUSTOMER_SUCCESS])
    sign_in("t-cara", PASSWORD)
    page.goto(f"{live_server.url}/plans/")
    page.get_by_test_id("bell").click()
    page.get_by_role("link", name="Preferences and calendar").click()
    expect(page.get_by_role("heading", name="Notification preferences")).to_be_visible()

    group = page.get_by_role("group", name="Assigned a task")
    group.get_by_label("In the daily digest").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification preferences are saved.")
    expect(
        page.get_by_role("group", name="Assigned a task").get_by_label("In the daily digest")
    ).to_be_checked()

    page.get_by_role("button", name="Create my calendar URL").click()
    url = page.get_by_test_id("feed-url").input_value()
    assert re.fullmatch(r"http://localhost:8000/calendar/[\w-]+\.ics", url), url
    path = url.removeprefix("http://localhost:8000")
    assert page.request.get(f"{live_server.url}{path}").status == 200

    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("status")).to_contain_text("Your calendar URL is revoked")
    expect(page.get_by_text("You have no calendar URL.")).to_be_visible()
    assert page.request.get(f"{live_server.url}{path}").status == 404
