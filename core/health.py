"""``/healthz``: what a load balancer or an orchestrator polls.

200 ``{"status": "ok", ...}`` when the database answers and every migration on disk
is applied; 503 with the failing check otherwise. No sign-in and no session: the view
reads neither the user nor the session, so it sets no cookie and a poll costs one
``SELECT 1`` (the migration check runs until it passes once per process: migrations
on disk only change with a new release, which starts new processes).
"""

from __future__ import annotations

from django.db import DatabaseError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrations_applied = False


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _migrations_ok() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrations_applied = not plan
    return _migrations_applied


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok()}
    try:
        checks["migrations"] = checks["database"] and _migrations_ok()
    except DatabaseError:
        checks["migrations"] = False
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
