"""Pages that fit: the top bar on one line at 1280 px for every role, the navigation behind
Menu under 900 px, the case list at 390 px without sideways scroll, the user's menu."""

import pytest
from playwright.sync_api import expect

ROLES = ["agent", "csm", "participant", "manager", "admin"]

# How far each of the top bar's items is from the first one's vertical middle (0 on one line).
ROWS = """() => {
  const items = [...document.querySelectorAll(
    ".topbar > .brand, .topbar .mainnav li, .topbar-search, .whoami > *")]
    .filter(el => el.offsetParent !== null);
  const middle = el => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; };
  const first = middle(items[0]);
  return items.map(el => Math.round(Math.abs(middle(el) - first)));
}"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("username", ROLES)
def test_the_top_bar_fits_one_line_at_1280_px(demo, sign_in, page, username):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(username)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    offsets = page.evaluate(ROWS)
    assert len(offsets) > 8
    assert max(offsets) <= 6, offsets
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_under_900_px_the_navigation_folds_behind_menu(demo, sign_in, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("manager")
    nav = page.get_by_role("navigation", name="Workspace")
    menu = page.get_by_role("button", name="Menu")
    expect(nav).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Review")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()
    # open again and follow a link
    menu.click()
    nav.get_by_role("link", name="Success Cases").click()
    expect(page.get_by_role("heading", name="All Success Cases")).to_be_visible()


def test_the_case_list_at_390_px_has_no_sideways_scroll(demo, sign_in, page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("agent")
    page.goto(f"{demo.url}/cases/")
    expect(page.get_by_role("heading", name="All Success Cases")).to_be_visible()
    assert page.evaluate(SIDEWAYS) == 0
    # the table scrolls inside its region instead
    wide = page.evaluate(
        "() => { const r = document.getElementById('case-results');"
        " return r.scrollWidth > r.clientWidth; }"
    )
    assert wide


@pytest.mark.parametrize("path", ["/", "/plans/", "/review/", "/accounts/"])
def test_other_pages_at_390_px_have_no_sideways_scroll(demo, sign_in, page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("admin")
    page.goto(f"{demo.url}{path}")
    assert page.evaluate(SIDEWAYS) == 0, path


def test_the_user_menu_holds_the_users_links(demo, sign_in, page):
    sign_in("agent")
    sign_out = page.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()
    page.get_by_test_id("user-name").click()
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    expect(page.get_by_test_id("user-roles")).to_have_text("Success Agent")
    sign_out.click()
    expect(page).to_have_url(f"{demo.url}/login/")
