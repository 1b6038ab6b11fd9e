"""seed_demo leaves a few notifications under every demo user's bell, once."""

from django.core.management import call_command

from notifications.demo import DEMO_USERNAMES
from notifications.models import Notification


def test_every_demo_user_has_notifications_with_links(seeded_demo):
    for username in DEMO_USERNAMES:
        mine = Notification.objects.filter(user__username=username)
        assert mine.filter(read_at__isnull=True).exists(), username
        assert all(n.url.startswith("/") for n in mine), username


def test_a_second_run_adds_no_demo_notification(seeded_demo):
    before = Notification.objects.count()
    call_command("seed_demo_notifications")
    assert Notification.objects.count() == before
