"""Domain events: the one place a change is announced to whoever listens.

A service that changes something others may care about calls ``emit(name, **data)``
inside its transaction, after the change, with plain values (ids, names, the old and
new value). Listeners live in the apps on top (``notifications``, the API's webhooks)
and register in their ``AppConfig.ready`` with ``@listens("case.closed", ...)``; the
apps below never import them, so the layers keep pointing down.

A listener runs in the same transaction as the change: rows it writes (an in-app
notification, a webhook delivery) are rolled back with the change, and anything that
must not run in the request (mail, HTTP calls) it schedules with
``transaction.on_commit`` and a django-tasks task. An exception in a listener rolls
the change back too, so listeners only write rows and schedule.

The catalogue (``data`` keys in brackets; ``actor_id`` is always there, the user who
made the change, or None for the periodic commands):

- ``case.created`` [case_id]
- ``case.assigned`` [case_id, assignee_id, previous_id] -- at creation and on reassign
- ``case.squad_joined`` [case_id, user_id]
- ``case.phase_changed`` [case_id, phase, previous]
- ``case.closed`` [case_id] / ``case.canceled`` [case_id]
- ``case.journal_posted`` [case_id, kind] -- a comment or work note
- ``case_record.changed`` [case_id, record: "meeting" | "task", record_id] -- added, edited
  or moved to another state
- ``case_task.assigned`` [task_id, case_id, assignee_id]
- ``plan_task.assigned`` [task_id, plan_id, assignee_id]
- ``task.overdue`` [task_id, kind: "case_task" | "plan_task"] -- from send_reminders
- ``kpi.value_changed`` [kpi_id, plan_id, previous, value]
- ``kpi.badge_changed`` [kpi_id, plan_id, previous, badge]
- ``plan.created`` [plan_id]
- ``plan.effective_date_changed`` [plan_id, previous, effective_date]
- ``cs_activity.logged`` [plan_id, activity_id] -- logged or edited
- ``account.changed`` [account_id] -- its facts, or an activity logged on its timeline
- ``health.changed`` [account_id, previous, score]
- ``plan_record.changed`` [plan_id, record: "objective" | "playbook" | "task", record_id,
  record_name, change: "added" | "edited" | "deleted" | the new status]

``health`` listens too (``health.listeners``): it sits above the apps that emit what moves
a health measure, so its listeners keep the stored scores current and the timeline's
history of plan records.

A request is one *event scope* (``core.middleware.EventScopeMiddleware``): what the
listeners look up for every event (the webhook endpoints, the actor's name) they read
through ``memo()``, once per request however many events its write emits; the
signed-in user is in the scope already (``scoped_user``), so naming the actor costs no
query. Outside a request (commands, tasks) ``memo()`` simply computes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

Listener = Callable[..., None]

_listeners: dict[str, list[Listener]] = defaultdict(list)
_scope: ContextVar[dict | None] = ContextVar("event_scope", default=None)


def listens(*names: str) -> Callable[[Listener], Listener]:
    """Register the decorated function for each event in ``names`` (once per function)."""

    def register(listener: Listener) -> Listener:
        for name in names:
            if listener not in _listeners[name]:
                _listeners[name].append(listener)
        return listener

    return register


def emit(name: str, /, *, actor_id: int | None, **data) -> None:
    """Tell every listener of ``name``; called inside the transaction of the change."""
    for listener in _listeners.get(name, ()):
        listener(name, actor_id=actor_id, **data)


@contextmanager
def scope(*, user: Any = None) -> Iterator[None]:
    """One request's lookups, shared by the listeners of every event it emits.

    ``user`` is the signed-in user (possibly Django's lazy object; read only if a
    listener asks for that person)."""
    token = _scope.set({"user": user})
    try:
        yield
    finally:
        _scope.reset(token)


def memo(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per scope for ``key`` (every time outside a scope)."""
    values = _scope.get()
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return values[key]


def scoped_user(user_id: int | None) -> Any:
    """The scope's signed-in user if it is ``user_id``, else None (nothing read)."""
    values = _scope.get()
    user = values.get("user") if values else None
    if user is None or user_id is None or not getattr(user, "is_authenticated", False):
        return None
    return user if user.pk == user_id else None
