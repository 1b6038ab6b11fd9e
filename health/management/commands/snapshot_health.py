"""``manage.py snapshot_health``: today's health score of every account, once a day.

Run it daily from the scheduler that runs the other periodic commands (cron, a systemd
timer); running it again the same day updates that day's snapshot instead of adding one.
"""

from django.core.management.base import BaseCommand

from health.services import snapshot_health


class Command(BaseCommand):
    help = "Store today's health score of every account (idempotent: one snapshot a day)."

    def handle(self, *args, **options):
        counts = snapshot_health()
        self.stdout.write(
            f"Health snapshots: {counts['created']} created, {counts['updated']} updated,"
            f" {counts['changed']} changed score."
        )
