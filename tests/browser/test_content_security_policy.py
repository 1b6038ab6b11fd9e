"""The Content-Security-Policy holds on every page of the demo: no page logs a violation.

Each role signs in and follows every link of the workspace it can reach (breadth first,
links to this site only, no sign-out, no downloads), and the admin adds the admin and the
API docs. The browser reports each blocked script, style or image as a
``securitypolicyviolation`` event and a console error; both are collected for every page.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

# Recorded in the page before any of its own scripts run (Playwright's init scripts are
# not subject to the page's policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber}`));
"""
LINKS = """() => [...document.querySelectorAll("a[href]")].map(a => a.href)"""
# Redoc's footer links Redocly's logo from its CDN: the policy blocks it (nothing is loaded
# from the internet; the link keeps its text), the one violation we expect.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
MAX_PAGES = 45  # per role: every kind of page of the demo is within reach


def _skipped(path: str) -> bool:
    return (
        path.startswith(("/logout", "/admin/logout", "/api/schema"))
        or "export" in path
        or path.endswith(".csv")
    )


def _crawl(page, base: str, start: list[str], *, prefixes: tuple[str, ...] = ("/",)):
    violations: list[str] = []
    console: list[str] = []
    page.on(
        "console",
        lambda m: (
            console.append(m.text)
            if "Content Security Policy" in m.text and REDOC_LOGO not in m.text
            else None
        ),
    )
    seen: set[str] = set()
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(base + path)
        assert response is not None and response.status < 500, path
        assert response.headers.get("content-security-policy"), f"{path} has no policy"
        page.wait_for_load_state("load")
        violations += [f"{path}: {v}" for v in page.evaluate("window.__violations")]
        for href in page.evaluate(LINKS):
            url = urlsplit(href)
            if url.netloc != urlsplit(base).netloc:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen and url.path.startswith(prefixes) and not _skipped(url.path):
                queue.append(target)
    return seen, violations, console


@pytest.mark.parametrize("username", ["agent", "csm", "participant", "manager"])
def test_no_page_of_the_demo_violates_the_policy(demo, sign_in, page, username):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(username)

    seen, violations, console = _crawl(
        page, demo.url, ["/", "/tracker/", "/review/"], prefixes=("/",)
    )

    assert len(seen) >= 10, seen
    assert violations == []
    assert console == []


def test_the_admin_and_the_api_docs_do_not_violate_the_policy(demo, sign_in, page):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in("admin")

    start = ["/api/docs/", "/api/redoc/", "/admin/", "/admin/playbooks/successcase/"]
    seen, violations, console = _crawl(page, demo.url, start, prefixes=("/admin/",))
    for docs in ("/api/docs/", "/api/redoc/"):  # both draw the schema with their scripts
        page.goto(f"{demo.url}{docs}")
        expect(page.get_by_text("/api/v1/accounts/").first).to_be_visible(timeout=30_000)
        violations += [v for v in page.evaluate("window.__violations") if REDOC_LOGO not in v]

    assert len(seen) >= 10, seen
    assert violations == []
    assert console == []


def test_the_tracker_bars_are_placed_without_inline_styles(demo, sign_in, page):
    sign_in("csm")
    page.goto(f"{demo.url}/tracker/")

    bar = page.locator(".tracker-bar").first
    expect(bar).to_be_visible()
    # static/js/app.js copies data-style into the element's style through the CSSOM.
    left, width = bar.get_attribute("data-style").split(";")
    placed = bar.evaluate("el => [el.style.left, el.style.width]")
    assert [float(v.strip(" %")) for v in placed] == [
        float(left.split(":")[1].strip(" %")),
        float(width.split(":")[1].strip(" %")),
    ]
    assert page.locator("[style]").count() == page.locator("[data-style]").count()
