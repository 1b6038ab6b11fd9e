"""Every page of every role passes axe-core (axe-playwright-python) with no serious or critical
violation, and the main flow works with the keyboard alone.

Each role signs in and follows the links of the workspace it can reach, breadth first, one
page per kind of page (its URL pattern: one case page stands for all cases), on this site
only; sign-out, downloads, the Django admin and the API docs (third-party pages) are left
out. axe runs on each page as the user sees it, and once more on a form sent empty, where
the errors are shown next to the fields.
"""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404
from django.urls import resolve
from playwright.sync_api import expect

from successplans.models import ObjectiveKPI
from successplans.models import SuccessPlan

ROLES = ["agent", "csm", "participant", "manager", "admin"]
BLOCKING = {"serious", "critical"}
MAX_PAGES = 60  # per role: every kind of page of the demo is within reach
LINKS = """() => [...document.querySelectorAll("a[href]")].map(a => a.href)"""
axe = Axe()


def _skipped(path: str) -> bool:
    return (
        path.startswith(("/logout", "/admin/", "/api/schema", "/api/docs", "/api/redoc"))
        or "export" in path
        or path.endswith((".csv", ".ics"))
    )


def _kind(path: str) -> str | None:
    """The page's URL pattern (``playbooks:case-detail``) and its tab, or None if not ours."""
    url = urlsplit(path)
    try:
        match = resolve(url.path)
    except Resolver404:
        return None
    tab = next((p for p in url.query.split("&") if p.startswith("tab=")), "")
    return f"{match.view_name}?{tab}"


def _problems(page) -> list[str]:
    results = axe.run(page)
    return [
        f"{page.url}: [{v['impact']}] {v['id']}: {v['help']} "
        f"({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def _crawl(page, base: str, start: list[str]) -> tuple[set[str], list[str]]:
    kinds: set[str] = set()
    seen: set[str] = set()
    problems: list[str] = []
    queue = list(start)
    while queue and len(kinds) < MAX_PAGES:
        path = queue.pop(0)
        kind = _kind(path)
        if path in seen or kind is None or kind in kinds:
            continue
        seen.add(path)
        response = page.goto(base + path)
        assert response is not None and response.status < 500, path
        if response.status >= 400 or not page.url.startswith(base):
            continue
        kinds.add(kind)
        page.wait_for_load_state("load")
        problems += _problems(page)
        for href in page.evaluate(LINKS):
            url = urlsplit(href)
            if url.netloc != urlsplit(base).netloc or _skipped(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append(target)
    return kinds, problems


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_role_passes_axe(demo, sign_in, page, username):
    sign_in(username)
    start = ["/", "/search/?q=north", "/cases/", "/plans/", "/tracker/", "/review/"]
    kinds, problems = _crawl(page, demo.url, start)
    assert len(kinds) >= 10, kinds
    assert problems == []


@pytest.mark.parametrize(
    "username, path, button",
    [
        ("agent", "/cases/new/", "Continue"),
        ("csm", "/plans/new/", None),
        ("manager", "/password/", "Change password"),
    ],
)
def test_a_form_with_its_errors_passes_axe(demo, sign_in, page, username, path, button):
    sign_in(username)
    page.goto(f"{demo.url}{path}")
    form = page.locator("main form").last
    submit = form.get_by_role("button", name=button) if button else form.locator(".primary").last
    submit.click()
    page.wait_for_load_state("load")
    assert _problems(page) == []


def test_the_search_page_with_its_message_passes_axe(demo, sign_in, page):
    sign_in("participant")
    page.goto(f"{demo.url}/search/?q=")
    expect(page.get_by_text("Type a name, a word or a number")).to_be_visible()
    assert _problems(page) == []


def test_the_sign_in_page_and_the_menus_pass_axe(demo, sign_in, page):
    page.goto(f"{demo.url}/login/")
    assert _problems(page) == []
    sign_in("agent")
    page.get_by_test_id("user-name").click()  # the user menu, open
    assert _problems(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Menu").click()
    assert _problems(page) == []


# -- keyboard only ---------------------------------------------------------------------------------
FOCUSED = "() => { const e = document.activeElement;" \
    " return (e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent || '')" \
    ".trim(); }"  # fmt: skip


def _tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's name starts with ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED).startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_sign_in_new_case_and_continue_with_the_keyboard_only(demo, page):
    page.goto(f"{demo.url}/login/")
    _tab_to(page, "Username")
    page.keyboard.type("agent")
    _tab_to(page, "Password")
    page.keyboard.type("demo-browser-pass")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()

    _tab_to(page, "Success Cases")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="All Success Cases")).to_be_visible()
    _tab_to(page, "New")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New success case")).to_be_visible()

    _tab_to(page, "Engagement")  # the select, after its search box
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value") != ""
    _tab_to(page, "Continue")
    page.keyboard.press("Enter")
    expect(page.get_by_text("created.")).to_be_visible()
    expect(page.get_by_role("heading", name="Initiate")).to_be_visible()


def test_the_kpi_grid_with_the_keyboard_only(demo, sign_in, page):
    """Objective KPI Overview: reach a cell, change it and Save without the mouse."""
    plan = SuccessPlan.objects.get(name="Northwind platform success plan")
    kpi = ObjectiveKPI.objects.get(objective__plan=plan, name="Licenses activated")
    sign_in("csm")
    page.goto(f"{demo.url}{plan.get_absolute_url()}")
    _tab_to(page, "Objective KPIs")
    page.keyboard.press("Enter")
    sections = page.get_by_role("navigation", name="Success plan sections")
    expect(sections.get_by_role("link", name="Objective KPIs", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.wait_for_load_state()
    _tab_to(page, "Current of Licenses activated")
    page.keyboard.press("Control+A")
    page.keyboard.type("351")
    _tab_to(page, "Save")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("saved")
    kpi.refresh_from_db()
    assert kpi.current == 351
