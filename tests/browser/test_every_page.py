"""Every page of every role passes axe-core and keeps the Content-Security-Policy.

One crawl a role: the role signs in and follows the links of the workspace it can reach,
breadth first, on this site only (no sign-out, no downloads). Each page visit runs both
checks, so every page is loaded once:

- **axe** (axe-playwright-python): no serious or critical violation, on one page per kind
  of page (its URL pattern and tab: one case page stands for all cases), our own pages only
  (the Django admin and the API docs are third-party pages);
- **the policy**: every page answers with a ``Content-Security-Policy`` and the browser
  reports no ``securitypolicyviolation`` event and no policy error in the console, on every
  page of the crawl's first ``MAX_PAGES`` and on each page of a new kind after them.

The admin also crawls the Django admin and the API docs for the policy, in a test of its own
(so that a parallel run can give the admin's two walks to two workers). A failure names the
page and the check.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404
from django.urls import resolve
from playwright.sync_api import expect

from .checks import axe_problems

ROLES = ["agent", "csm", "participant", "manager", "admin"]
START = ["/", "/search/?q=north", "/cases/", "/plans/", "/tracker/", "/review/"]
ADMIN_START = ["/api/docs/", "/api/redoc/", "/admin/", "/admin/playbooks/successcase/"]
MAX_KINDS = 60  # per role: every kind of page of the demo is within reach
MAX_PAGES = 45  # per crawl: the policy is also checked on pages of a kind already seen
LINKS = """() => [...document.querySelectorAll("a[href]")].map(a => a.href)"""
# Recorded in the page before any of its own scripts run (Playwright's init scripts are
# not subject to the page's policy).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber}`));
"""
# Redoc's footer links Redocly's logo from its CDN: the policy blocks it (nothing is loaded
# from the internet; the link keeps its text), the one violation we expect.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _skipped(path: str) -> bool:
    """Links the crawl does not follow: sign-out, downloads, the schema file."""
    return (
        path.startswith(("/logout", "/admin/logout", "/api/schema"))
        or "export" in path
        or path.endswith((".csv", ".ics"))
    )


def _third_party(path: str) -> bool:
    """Pages we do not write, so axe does not judge them: the Django admin, the API docs."""
    return path.startswith(("/admin/", "/api/docs", "/api/redoc"))


def _kind(path: str) -> str | None:
    """The page's URL pattern (``playbooks:case-detail``) and its tab, or None if not ours."""
    url = urlsplit(path)
    try:
        match = resolve(url.path)
    except Resolver404:
        return None
    tab = next((p for p in url.query.split("&") if p.startswith("tab=")), "")
    return f"{match.view_name}?{tab}"


class Crawl:
    """A breadth-first walk of one signed-in page, both checks on each visit."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base
        self.kinds: set[str] = set()  # kinds of page axe ran on
        self.seen: set[str] = set()  # every path visited
        self.problems: list[str] = []
        self._path = ""
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text and REDOC_LOGO not in message.text:
            self.problems.append(f"{self._path}: policy (console): {message.text}")

    def _wanted(self, path: str, kind: str | None, visits: int) -> bool:
        if path in self.seen or kind is None:
            return False
        new_kind = kind not in self.kinds and not _third_party(path)
        return (new_kind and len(self.kinds) < MAX_KINDS) or visits < MAX_PAGES

    def walk(self, start: list[str], *, within: str = "/", outside: str = "/admin/") -> None:
        """Visit ``start`` and what it links to, under ``within`` and not under ``outside``."""
        queue = list(start)
        visits = 0
        while queue:
            path = queue.pop(0)
            kind = _kind(path)
            if not self._wanted(path, kind, visits):
                continue
            self.seen.add(path)
            visits += 1
            self._path = path
            response = self.page.goto(self.base + path)
            assert response is not None and response.status < 500, path
            assert response.headers.get("content-security-policy"), f"{path}: policy: none"
            violations = self.page.evaluate("window.__violations")
            self.problems += [f"{path}: policy: {v}" for v in violations if REDOC_LOGO not in v]
            ours = response.status < 400 and self.page.url.startswith(self.base)
            if ours and not _third_party(path) and kind not in self.kinds:
                self.kinds.add(kind)
                self.problems += axe_problems(self.page, path)
            for href in self.page.evaluate(LINKS):
                url = urlsplit(href)
                if url.netloc != urlsplit(self.base).netloc or _skipped(url.path):
                    continue
                target = url.path + (f"?{url.query}" if url.query else "")
                inside = url.path.startswith(within) and not url.path.startswith(outside)
                if inside and target not in self.seen:
                    queue.append(target)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_role_passes_axe_and_keeps_the_policy(demo, sign_in, page, username):
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(username)

    crawl = Crawl(page, demo.url)
    crawl.walk(START)  # the Django admin apart: the admin's walk is the test below
    assert len(crawl.kinds) >= 10, crawl.kinds
    assert len(crawl.seen) >= 10, crawl.seen
    assert crawl.problems == []


def test_the_django_admin_and_the_api_docs_keep_the_policy(demo, sign_in, page):
    """The admin's second walk, a test of its own: the two halves of the admin's crawl
    (about 50 s each) run on both workers of a parallel run instead of one after the other."""
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in("admin")

    crawl = Crawl(page, demo.url)
    crawl.walk(ADMIN_START, within="/admin/", outside="/admin/logout")
    assert len(crawl.seen) >= 10, crawl.seen
    for docs in ("/api/docs/", "/api/redoc/"):  # both draw the schema with their scripts
        page.goto(f"{demo.url}{docs}")
        expect(page.get_by_text("/api/v1/accounts/").first).to_be_visible(timeout=30_000)
        crawl.problems += [
            f"{docs}: policy: {v}"
            for v in page.evaluate("window.__violations")
            if REDOC_LOGO not in v
        ]
    assert crawl.problems == []
