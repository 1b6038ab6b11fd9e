"""Background refresh of the stored current scores (``AccountHealth``), run by the django-tasks
worker (``manage.py db_worker``) after the change is committed.

The listeners (``health.listeners``) only schedule: they know a case, a plan or a task, not
its account, and read nothing in the request's transaction (each event would otherwise cost
the request a query). The task finds the account and scores it: three queries.
"""

from __future__ import annotations

from django_tasks import task

from engagements.models import Account
from playbooks.models import CaseTask
from playbooks.models import SuccessCase
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan

from .services import health_refresh

#: What an event names, and how to reach its account from there.
OWNERS = {
    "account": (Account, "pk"),
    "case": (SuccessCase, "engagement__account_id"),
    "case_task": (CaseTask, "case__engagement__account_id"),
    "plan": (SuccessPlan, "account_id"),
    "plan_task": (PlaybookTask, "plan__account_id"),
}


@task()
def refresh_account_health(source: str, pk: int) -> int:
    """Score again the account of ``source`` ``pk`` (a case, a plan, a task or the account
    itself); nothing when it is gone or has no account (a plan template)."""
    model, path = OWNERS[source]
    account_id = model.objects.filter(pk=pk).values_list(path, flat=True).first()
    if account_id is None:
        return 0
    return health_refresh(account_ids=[account_id])


@task()
def refresh_every_account_health() -> int:
    """Score every account again (after an admin changed a measure or the thresholds)."""
    ids = list(Account.objects.values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), 500):
        done += health_refresh(account_ids=ids[start : start + 500])
    return done
