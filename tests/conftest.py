"""Fixtures shared by the whole suite: one signed-in client per role."""

import os

import pytest
from django.conf import settings
from django.test import Client

from core.roles import Role, sync_role_groups

from .factories import UserFactory


@pytest.fixture
def role_groups(transactional_db):
    """Reload the reference data the data migrations made, for a transactional test.

    Transactional tests (browser tests, concurrency tests) flush every table
    after they run, which also removes what data migrations created: the role
    groups, the seed's playbook and closure codes, the business challenge
    categories. (``serialized_rollback`` cannot restore them here: Playwright's
    event loop gives the test its own database connection, without the
    serialized copy.) So each such test reloads them with the migrations' own code.
    """
    import importlib

    from django.apps import apps

    sync_role_groups(apps)
    importlib.import_module("playbooks.migrations.0002_default_playbook").load(apps, None)
    importlib.import_module("successplans.migrations.0002_defaults_and_roles").forwards(apps, None)


@pytest.fixture
def agent(db):
    return UserFactory(username="t-agent", roles=[Role.SUCCESS_AGENT])


@pytest.fixture
def csm(db):
    return UserFactory(username="t-csm", roles=[Role.CUSTOMER_SUCCESS])


@pytest.fixture
def participant(db):
    return UserFactory(username="t-participant", roles=[Role.PARTICIPANT])


@pytest.fixture
def manager(db):
    return UserFactory(username="t-manager", roles=[Role.SUCCESS_MANAGER])


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="t-norole")


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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing demo and factory passwords with PBKDF2 would dominate the suite's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and on PostgreSQL a clean way out of it.

    Connections opened next to Playwright's event loop live in a context the
    session's teardown cannot reach, so PostgreSQL would refuse to drop the test
    database ("is being accessed by other users"). Before pytest-django drops it,
    end every other session on it.
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
