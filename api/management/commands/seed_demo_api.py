"""``manage.py seed_demo_api``: the API app's part of ``seed_demo`` (a demo webhook endpoint).

``seed_demo`` calls it by name: ``successhub`` and ``api`` are siblings in the layers.
"""

from django.core.management.base import BaseCommand

from api.demo import seed_api


class Command(BaseCommand):
    help = "Add the API app's demo data (a disabled demo webhook endpoint)."

    def handle(self, *args, **options) -> None:
        seed_api()
