"""Fixtures shared by the whole suite: one signed-in client per role."""

import os
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.test import override_settings

from core.roles import Role
from core.roles import sync_role_groups

from .demo_snapshot import restores
from .demo_snapshot import seed_in_transaction
from .factories import UserFactory


def _reload_reference_data() -> None:
    """What the data migrations made: role groups, the playbook, closure codes, categories."""
    import importlib

    from django.apps import apps

    sync_role_groups(apps)
    importlib.import_module("playbooks.defaults").load_default_playbook(apps)
    importlib.import_module("successplans.migrations.0002_defaults_and_roles").forwards(apps, None)
    importlib.import_module("health.defaults").load(apps, None)  # measures and thresholds


@pytest.fixture
def role_groups(transactional_db):
    """The reference data the data migrations made, for a transactional test.

    Transactional tests (browser tests, concurrency tests) flush every table
    after they run, which also removes what data migrations created: the role
    groups, the seed's playbook and closure codes, the business challenge
    categories. (``serialized_rollback`` cannot restore them here: Playwright's
    event loop gives the test its own database connection, without the
    serialized copy.) ``pytest_runtest_teardown`` below reloads them after every
    such flush, so this fixture only names the dependency.
    """


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put the reference data back for the next test.

    With several workers (pytest-xdist) a worker may run ordinary tests after a browser
    test, and they expect what the migrations made (the role groups above all).
    """
    yield
    if nextitem is None:
        return  # the last test: the session's teardown has just dropped the test database
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in getattr(item, "fixturenames", ()) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    if _restores_the_demo(nextitem):
        return  # the next test copies every table back, the migrations' data included
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        _reload_reference_data()
        from django.db import connections

        for connection in connections.all():
            connection.close()


def _restores_the_demo(item) -> bool:
    """The next test's ``demo`` (tests/browser/conftest.py) puts the demo's snapshot back."""
    if "demo" not in getattr(item, "fixturenames", ()):
        return False
    from tests.browser.conftest import DEMO_PASSWORD as BROWSER_PASSWORD

    return restores(BROWSER_PASSWORD)


#: The signed-in actors of the suite: fixture name -> (username, roles). ``UserFactory``
#: gets or creates by username, so a fixture and rows built for a whole module
#: (``module_data``) name the same user.
USERS = {
    "agent": ("t-agent", [Role.SUCCESS_AGENT]),
    "other_agent": ("t-agent2", [Role.SUCCESS_AGENT]),
    "csm": ("t-csm", [Role.CUSTOMER_SUCCESS]),
    "participant": ("t-participant", [Role.PARTICIPANT]),
    "manager": ("t-manager", [Role.SUCCESS_MANAGER]),
    "no_role_user": ("t-norole", []),
}


def make_user(who: str):
    username, roles = USERS[who]
    return UserFactory(username=username, roles=roles)


@pytest.fixture
def agent(db):
    return make_user("agent")


@pytest.fixture
def other_agent(db):
    """A second Success Agent, neither assigned to ``agent``'s cases nor in their squad."""
    return make_user("other_agent")


@pytest.fixture
def csm(db):
    return make_user("csm")


@pytest.fixture
def participant(db):
    return make_user("participant")


@pytest.fixture
def manager(db):
    return make_user("manager")


@pytest.fixture
def no_role_user(db):
    return make_user("no_role_user")


ROLE_FIXTURES = ["agent", "csm", "participant", "manager"]


@pytest.fixture
def client_for(request, db):
    """``client_for("agent")``: a test client signed in as that fixture's user (or None)."""

    def make(who: str | None) -> Client:
        client = Client()
        if who is not None:
            client.force_login(request.getfixturevalue(who))
        return client

    return make


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing demo and factory passwords with PBKDF2 would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _enforced_csp(settings):
    """The Content-Security-Policy is enforced as in production (DEBUG only reports it)."""
    policy = settings.CONTENT_SECURITY_POLICY or settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
    settings.CONTENT_SECURITY_POLICY = policy
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Tasks (mail, webhooks) run when enqueued, in the test's process; no worker needed."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Pages render afresh in tests (which change rows directly between two requests);
    tests/successhub/test_page_cache.py turns the cache on and tests it."""
    settings.PAGE_CACHE_SECONDS = 0


@contextmanager
def module_data(django_db_blocker):
    """Rows a whole module reads, written once and rolled back when the module ends.

    For a module-scoped fixture: ``with module_data(django_db_blocker): build(); yield``.
    The rows are written in a transaction left open for the module; each test
    still runs in its own savepoint (``db``), so what a test writes is rolled
    back after it and the next test sees the module's rows as they were built.
    Tests that use such a fixture must use ``db`` (not ``transactional_db``).
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


DEMO_PASSWORD = "demo-secret-1"


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker) -> str:
    with module_data(django_db_blocker):
        yield seed_in_transaction(DEMO_PASSWORD)


@pytest.fixture
def seeded_demo(_demo_once, db) -> str:
    """``seed_demo``'s data (password ``DEMO_PASSWORD``), put in once per module; its output.

    Seeding takes seconds, so a module's tests share one run (``module_data``);
    a test that changes or seeds again is rolled back as usual. A process seeds
    once and puts a copy of those rows back for the next module
    (``tests.demo_snapshot.seed_in_transaction``).
    """
    return _demo_once


def pytest_terminal_summary(terminalreporter):
    """The figure issue 17 asks for: the hypothesis examples the bad-input tests sent (each
    records its count; with pytest-xdist the counts come back in the workers' reports)."""
    total = sum(
        value
        for report in terminalreporter.stats.get("passed", [])
        for key, value in report.user_properties
        if key == "hypothesis_examples"
    )
    if total:
        terminalreporter.write_line(f"bad input: {total} hypothesis examples, no 5xx")


def pytest_runtest_setup(item):
    """Tests marked ``postgres`` need PostgreSQL: elsewhere they skip and say why.

    Under ``CI=true`` they fail instead, so CI cannot pass without running them:
    .ci/run deselects them (``-m "not postgres"``) on its SQLite pass and runs
    the whole suite on its PostgreSQL pass.
    """
    if item.get_closest_marker("postgres") is None:
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        reason = f"needs PostgreSQL (DATABASE_URL=postgres://...), this run uses {engine}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _on_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"


@pytest.fixture(scope="session")
def django_db_use_migrations(request) -> bool:
    """On SQLite the test database is built from the models (about 1 s) instead of by the
    87 migrations (about 8 s a worker, rendering model states), and ``django_db_setup``
    loads what the data migrations make. PostgreSQL, the production database, runs every
    migration: CI's PostgreSQL pass applies them all, and ``makemigrations --check`` keeps
    them in step with the models."""
    return not request.config.getvalue("nomigrations") and not _on_sqlite()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_use_migrations):
    """pytest-django's test database, and on PostgreSQL a clean way out of it.

    Built without migrations (SQLite), it gets the migrations' reference data here, as
    after a transactional test's flush.

    Connections opened next to Playwright's event loop live in a context the
    session's teardown cannot reach, so PostgreSQL would refuse to drop the test
    database ("is being accessed by other users"). Before pytest-django drops it,
    end every other session on it.
    """
    if not django_db_use_migrations:
        with django_db_blocker.unblock():
            _reload_reference_data()
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
