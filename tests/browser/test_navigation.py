"""Each demo role signs in through the browser and sees the navigation of its role."""

import pytest
from playwright.sync_api import expect

EVERY_ROLE = [
    "Success Cases",
    "Success Plans",
    "Success Tracker",
    "Business Challenges",
    "Accounts",
    "Engagements",
]
# Review is for Success Managers (and the superuser).
EXPECTED_NAV = {
    "agent": EVERY_ROLE,
    "agent2": EVERY_ROLE,
    "csm": EVERY_ROLE,
    "participant": EVERY_ROLE,
    "manager": [*EVERY_ROLE, "Review"],
    "admin": [*EVERY_ROLE, "Review"],
}
EXPECTED_ROLE_LABEL = {
    "agent": "Success Agent",
    "agent2": "Success Agent",
    "csm": "Customer Success",
    "participant": "Participant",
    "manager": "Success Manager",
    "admin": "Administrator",
}


@pytest.mark.parametrize("username", list(EXPECTED_NAV))
def test_each_demo_user_sees_the_navigation_of_its_role(demo, sign_in, page, username):
    sign_in(username)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    nav = page.get_by_role("navigation", name="Workspace")
    expect(nav.get_by_role("link")).to_have_text(EXPECTED_NAV[username])
    expect(page.get_by_test_id("user-roles")).to_have_text(EXPECTED_ROLE_LABEL[username])
    page.get_by_test_id("user-name").click()  # the user menu holds Admin, Sign out...
    admin_link = page.get_by_role("link", name="Admin", exact=True)
    expect(admin_link).to_have_count(1 if username == "admin" else 0)


def test_a_stranger_is_sent_to_sign_in_and_back(demo, page):
    page.goto(f"{demo.url}/engagements/")
    expect(page).to_have_url(f"{demo.url}/login/?next=/engagements/")
    page.get_by_label("Username").fill("csm")
    page.get_by_label("Password").fill("demo-browser-pass")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{demo.url}/engagements/")
    expect(page.get_by_role("heading", name="Engagements")).to_be_visible()


def test_filtering_accounts_live_and_opening_one(demo, sign_in, page):
    sign_in("agent")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Accounts").click()
    page.get_by_label("Search", exact=True).fill("contoso")
    rows = page.locator("#account-results tbody tr")
    expect(rows).to_have_count(1)
    page.get_by_role("link", name="Contoso Health").click()
    expect(page.get_by_role("heading", name="Contoso Health")).to_be_visible()
    # The account's Engagements table; its Success cases table links the engagement too.
    engagements = page.get_by_role("table").filter(
        has=page.get_by_role("columnheader", name="Stage")
    )
    expect(engagements.get_by_role("link", name="Clinical rollout adoption")).to_be_visible()


def test_signing_out(demo, sign_in, page):
    sign_in("participant")
    page.get_by_test_id("user-name").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{demo.url}/login/")
    page.goto(f"{demo.url}/")
    expect(page).to_have_url(f"{demo.url}/login/?next=/")
