"""A user who forgot their password resets it by email and signs in with the new one."""

import re

from playwright.sync_api import expect

from tests.factories import UserFactory

NEW_PASSWORD = "a-new-long-passphrase-42"


def test_a_forgotten_password_is_reset_by_email(
    live_server, role_groups, page, sign_in, mailoutbox
):
    UserFactory(username="t-forgetful", email="forgetful@example.com", first_name="Fran")

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset password")).to_be_visible()
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    (message,) = mailoutbox
    (link,) = re.findall(r"https?://\S+/password/reset/\S+/", message.body)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", name="Set a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()

    sign_in("t-forgetful", NEW_PASSWORD)
    expect(page.get_by_test_id("user-name")).to_have_text(re.compile("Fran"))
