"""Keyboard and screen-reader basics of the layout and the forms, in Chromium.

The skip link comes first and takes focus to the page's main content; the
workspace navigation marks the section the page is in, and only that one; a
field's aria-describedby names elements that are on the page (help text, errors).
"""

from playwright.sync_api import expect

from playbooks.models import Phase
from playbooks.models import SuccessCase

# Every id an aria-describedby names, with whether an element has that id.
DESCRIBEDBY = """() => [...document.querySelectorAll("[aria-describedby]")].flatMap(el =>
    el.getAttribute("aria-describedby").split(/\\s+/).filter(Boolean)
      .map(id => ({from: el.id || el.name, id, found: document.getElementById(id) !== null})))"""


def _current_links(page):
    return page.locator('a[aria-current="page"]')


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(demo, sign_in, page):
    sign_in("agent")
    page.goto(f"{demo.url}/cases/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab goes on from the main content, past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_the_nav_marks_only_the_section_of_the_page(demo, sign_in, page):
    sign_in("agent")
    nav = page.get_by_role("navigation", name="Workspace")

    page.goto(f"{demo.url}/cases/")
    expect(_current_links(page)).to_have_count(1)
    expect(nav.get_by_role("link", name="Success Cases")).to_have_attribute("aria-current", "page")

    case = SuccessCase.objects.order_by("number").first()
    page.goto(f"{demo.url}/cases/{case.number}/")
    expect(_current_links(page)).to_have_count(1)
    expect(nav.get_by_role("link", name="Success Cases")).to_have_attribute("aria-current", "page")

    # My work is not a section of the navigation: nothing is current there.
    page.goto(f"{demo.url}/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(_current_links(page)).to_have_count(0)


def test_every_aria_describedby_of_a_form_with_errors_resolves(demo, sign_in, page):
    case = SuccessCase.objects.filter(phase=Phase.CLOSED, reviewed_at__isnull=True).first()
    sign_in("manager")
    page.goto(f"{demo.url}/review/{case.number}/")
    # The note has help text; sent empty, it has an error too.
    page.get_by_role("button", name="Mark Reviewed").click()
    expect(page.locator(".field-error")).to_have_text("Enter a review note.")

    note = page.get_by_label("Review note", exact=True)
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(note).to_have_accessible_description(
        "What went well, what to change next time. Kept in the timeline. Enter a review note."
    )
    references = page.evaluate(DESCRIBEDBY)
    assert references, "the page has fields described by their help text and errors"
    assert [r for r in references if not r["found"]] == []


def test_every_aria_describedby_of_the_sign_in_form_with_errors_resolves(demo, page):
    page.goto(f"{demo.url}/login/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
    references = page.evaluate(DESCRIBEDBY)
    assert {r["from"] for r in references} == {"id_username", "id_password"}
    assert [r for r in references if not r["found"]] == []
