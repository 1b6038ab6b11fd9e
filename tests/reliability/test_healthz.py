"""``/healthz``: 200 when the database answers and migrations are applied, 503 otherwise."""

from unittest import mock

import pytest
from django.db import OperationalError

from core import health


@pytest.fixture(autouse=True)
def _forget_migration_check():
    health._migrations_applied = False
    yield
    health._migrations_applied = False


def test_it_reports_ok_without_sign_in_or_session(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": True, "migrations": True}}
    assert response.cookies == {}  # no session, no CSRF cookie
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_down(client, db):
    with mock.patch.object(health.connection, "cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": False, "migrations": False}


def test_it_answers_503_when_a_migration_is_not_applied(client, db):
    unapplied = [(mock.sentinel.migration, False)]
    with mock.patch.object(health.MigrationExecutor, "migration_plan", return_value=unapplied):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "migrations": False},
    }


def test_it_checks_migrations_once_per_process(client, db, django_assert_num_queries):
    client.get("/healthz")

    with django_assert_num_queries(1):  # SELECT 1 only
        assert client.get("/healthz").status_code == 200


def test_it_rejects_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_it_is_not_redirected_to_https_in_production(settings, client, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # as settings.py sets it without DEBUG

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
