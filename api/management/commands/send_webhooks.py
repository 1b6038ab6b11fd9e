"""``manage.py send_webhooks``: attempt every webhook delivery that is due.

With the database task backend the retries are enqueued with ``run_after`` and this is
not needed; it is the safety net for a backend that cannot defer a task (the immediate
backend) or a worker that lost one. Safe to run at any time, e.g. every minute from cron.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from api import webhooks


class Command(BaseCommand):
    help = "Attempt every pending webhook delivery whose next attempt is due."

    def handle(self, *args, **options) -> None:
        due = webhooks.due_deliveries()
        for delivery_pk in due:
            webhooks.attempt_delivery(delivery_pk=delivery_pk)
        self.stdout.write(f"{len(due)} due deliveries attempted.")
