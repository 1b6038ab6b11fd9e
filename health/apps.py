from django.apps import AppConfig


class HealthConfig(AppConfig):
    """Account health: admin-defined measures, scores computed in the database, trend.

    Above ``playbooks`` and ``successplans`` (its rules read their KPIs, tasks and
    cases), below the pages (``successhub``), the API and notifications.
    """

    name = "health"

    def ready(self) -> None:
        from . import listeners  # noqa: F401  (registers the listeners of core.events)
