from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications, mail (immediate or daily digest) and the calendar feed.

    Listens to the domain events (``core.events``) the services emit; sits on top with
    ``successhub`` and ``api``, so no app below imports it.
    """

    name = "notifications"

    def ready(self) -> None:
        from . import listeners  # noqa: F401  (registers the listeners of core.events)
