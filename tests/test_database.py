"""The suite runs on whichever database DATABASE_URL names; CI runs it on both."""

import pytest
from django.db import connection


@pytest.mark.postgres
def test_the_suite_runs_on_a_real_postgresql_server(db):
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 150000


def test_the_database_holds_the_migrated_role_groups(db):
    from django.contrib.auth.models import Group

    assert Group.objects.filter(name__in=["Success Agent", "Participant"]).count() == 2


def test_sqlite_knows_its_real_bound_variable_limit(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    connection.ensure_connection()
    assert connection.features.max_query_params > 999
