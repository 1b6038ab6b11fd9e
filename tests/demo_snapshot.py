"""The demo data for browser tests: seeded once per test process, then copied back.

Browser tests run against the live server, so their database is flushed after each
test and the demo data must be there again for the next one. Running ``seed_demo``
each time works the playbooks through the services (several seconds a test);
instead the first test of a process seeds, the rows are copied into snapshot tables
beside the real ones (plain ``CREATE TABLE ... AS SELECT``, which the flush never
touches: it only empties the models' tables), and every later test copies them back
with one ``INSERT ... SELECT`` per table: milliseconds, the same rows and ids.

Rows tied to ids the flush renumbers are not copied: content types, permissions and
the groups' permissions (``sync_role_groups`` gives the restored groups theirs by
codename), and what a test leaves behind (sessions, sign-in attempts, admin log,
task results).
"""

from __future__ import annotations

from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db import transaction

from core.roles import sync_role_groups

PREFIX = "demo_snapshot_"

#: Tables whose rows are not copied (see the module docstring).
SKIPPED = {
    "django_content_type",
    "auth_permission",
    "auth_group_permissions",
    "auth_user_user_permissions",
    "django_session",
    "django_admin_log",
}
SKIPPED_PREFIXES = ("axes_", "django_tasks_db")

_taken: dict[str, str] = {}  # database name -> the password the snapshot was seeded with
#: (database name, password) -> seed_demo's output and each table's columns and rows
_copies: dict[tuple[str, str], tuple[str, dict[str, tuple[list[str], list[tuple]]]]] = {}


def _tables() -> list[str]:
    return sorted(
        table
        for table in connection.introspection.django_table_names(only_existing=True)
        if table not in SKIPPED and not table.startswith(SKIPPED_PREFIXES)
    )


def _models():
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in _tables()]


def restores(password: str) -> bool:
    """Whether ``load_demo(password)`` copies the snapshot back (rather than seeding)."""
    return _taken.get(connection.settings_dict["NAME"]) == password


def load_demo(password: str) -> None:
    """Put the demo data in the (flushed) test database, seeding only the first time."""
    name = connection.settings_dict["NAME"]
    quote = connection.ops.quote_name
    tables = _tables()
    if _taken.get(name) == password:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM auth_group_permissions")
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")
            for table in tables:
                cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(PREFIX + table)}")
            for sql in connection.ops.sequence_reset_sql(no_style(), _models()):
                cursor.execute(sql)
            sync_role_groups(apps)
        return
    call_command("seed_demo", password=password, stdout=StringIO())
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(PREFIX + table)}")
            cursor.execute(f"CREATE TABLE {quote(PREFIX + table)} AS SELECT * FROM {quote(table)}")
    _taken[name] = password


def seed_in_transaction(password: str) -> str:
    """``seed_demo``'s rows inside the caller's open transaction (a module's, rolled back
    after it); returns the command's output.

    The first call of a process seeds and keeps a copy of every table's rows in memory
    (tables made in a transaction that is rolled back would go with it, so not the
    snapshot tables above); later calls put the copy back, one INSERT a table, instead
    of seeding again. SQLite only: PostgreSQL hands back typed values (JSON as dicts)
    that do not go back in as they came, so there every call seeds.
    """
    if connection.vendor != "sqlite":
        out = StringIO()
        call_command("seed_demo", password=password, stdout=out)
        return out.getvalue()
    key = (connection.settings_dict["NAME"], password)
    quote = connection.ops.quote_name
    tables = _tables()
    if key not in _copies:
        out = StringIO()
        call_command("seed_demo", password=password, stdout=out)
        copy = {}
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"SELECT * FROM {quote(table)}")
                copy[table] = ([column[0] for column in cursor.description], cursor.fetchall())
        _copies[key] = (out.getvalue(), copy)
        return out.getvalue()
    output, copy = _copies[key]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_group_permissions")
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table in tables:
            columns, rows = copy[table]
            if rows:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        sync_role_groups(apps)
    return output
