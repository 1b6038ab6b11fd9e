"""New's one engagement field, by the keyboard, and the engagement's contact edited on the case
(issue 12 items 12 and 10), in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Page
from playwright.sync_api import expect

ENGAGEMENT = "Contoso Health: Clinical rollout adoption"


def test_agent_types_two_letters_picks_with_the_keyboard_and_creates(demo, sign_in, page: Page):
    sign_in("agent")
    page.goto(f"{demo.url}/cases/new/")
    expect(page.get_by_role("heading", name="New success case")).to_be_visible()
    box = page.get_by_label("Engagement", exact=True)
    expect(page.locator("select#id_engagement")).to_have_count(0)  # one box, no dropdown

    box.focus()
    page.keyboard.type("Co")
    matches = page.get_by_role("radiogroup", name="Matching open engagements")
    wanted = matches.get_by_role("radio", name=ENGAGEMENT)
    expect(wanted).to_be_visible()
    expect(page.locator("#id_engagement_status")).to_contain_text("“Co”")  # the live region

    # ArrowDown leaves the box for the matches; the arrows then walk them until ours.
    page.keyboard.press("ArrowDown")
    for _ in range(25):
        if wanted.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(wanted).to_be_checked()
    expect(wanted).to_be_focused()
    # Tab to Continue (past the Playbook field when there is one) and press Enter.
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Continue":
            break
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_contain_text(
        re.compile(r"Success case SCS\d+ created")
    )
    expect(page.locator("main")).to_contain_text("Clinical rollout adoption")


def test_nonsense_is_told_next_to_the_field(demo, sign_in, page: Page):
    sign_in("agent")
    page.goto(f"{demo.url}/cases/new/")
    page.get_by_label("Engagement", exact=True).fill("qqzzx")
    expect(page.locator("#id_engagement_status")).to_contain_text(
        "No open engagement matches “qqzzx”."
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#id_engagement_error")).to_contain_text(
        "No open engagement matches “qqzzx”: type part of its name."
    )
    expect(page.get_by_label("Engagement", exact=True)).to_have_attribute("aria-invalid", "true")


def test_agent_edits_the_engagements_contact_on_the_case(demo, sign_in, page: Page):
    from playbooks.models import SuccessCase

    case = SuccessCase.objects.filter(
        assigned_to__username="agent",
        phase__in=["initiate", "assist", "review_close"],
        engagement__account__contacts__is_primary=True,
    ).first()
    sign_in("agent")
    page.goto(f"{demo.url}{case.get_absolute_url()}")
    contact = page.get_by_test_id("case-contact")
    expect(contact).to_contain_text("Jordan")
    contact.get_by_role("link", name="Edit contact").click()

    page.get_by_label("Phone").fill("call me")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_phone_error")).to_contain_text("Enter a phone number in digits")

    page.get_by_label("Phone").fill("+1 555 010 0200")
    page.get_by_label("Title").fill("Chief Operating Officer")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status").first).to_contain_text("The contact is saved.")
    expect(contact).to_contain_text("Chief Operating Officer")
    expect(contact).to_contain_text("+1 555 010 0200")
    stream = page.locator("#case-body")
    expect(stream).to_contain_text(re.compile(r"Contact Jordan \w+: Phone"))
