"""``manage.py send_reminders``: once a day (cron or a systemd timer; README)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from notifications.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Notify tasks due tomorrow, overdue tasks and Overdue KPIs, queue the daily digests "
        "and prune notifications older than 90 days. Running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as on this day (YYYY-MM-DD); default today.")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as error:
            raise CommandError("--today takes a date as YYYY-MM-DD.") from error
        s = send_reminders(today=day)
        self.stdout.write(
            f"Due tomorrow: {s.due}, overdue: {s.overdue}, Overdue KPIs: {s.kpis}, "
            f"digests queued: {s.digests}, already done: {s.skipped}, pruned: {s.pruned}"
        )
