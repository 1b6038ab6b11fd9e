"""Background tasks of the API app (django-tasks; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

from django_tasks import task

from . import webhooks


@task()
def deliver_webhook(delivery_pk: int) -> None:
    """One attempt of a webhook delivery; a failure schedules the next one itself."""
    webhooks.attempt_delivery(delivery_pk=delivery_pk)
