"""Called by ``seed_demo`` (by name): a few notifications for every demo user."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from notifications.demo import DEMO_USERNAMES
from notifications.demo import seed_notifications


class Command(BaseCommand):
    help = "Give the demo users of seed_demo a few notifications (run by seed_demo)."

    def handle(self, *args, **options):
        users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
        seed_notifications({user.username: user for user in users})
