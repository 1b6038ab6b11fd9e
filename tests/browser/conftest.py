"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from ``apt-get install chromium`` (``/usr/bin/chromium``); we
never run ``playwright install``. Where it is missing the browser tests skip
with the reason, except under ``CI=true``, where they fail instead.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.demo_snapshot import load_demo

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# the tests themselves (factories, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "demo-browser-pass"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            # Live-server tests commit for real, and the database is flushed after each.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture
def demo(live_server, role_groups):
    """The demo data of ``seed_demo``, with a known password (see tests/demo_snapshot.py)."""
    load_demo(DEMO_PASSWORD)
    # Cached figures (Review) and pages of an earlier test in this process are keyed on
    # generation numbers that the restored rows set back: forget them.
    cache.clear()
    return live_server


@pytest.fixture
def sign_in(page, live_server):
    """``sign_in("agent")``: sign in through the real form and land on the home page."""

    def do(username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return do


@pytest.fixture(autouse=True)
def _close_db_connections():
    """Close the connections the test opened next to Playwright's event loop.

    Django keeps them per async context, so the session's teardown would not
    see them, and PostgreSQL would refuse to drop the test database while one is open.
    """
    yield
    from django.db import connections

    connections.close_all()
