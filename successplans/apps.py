from django.apps import AppConfig


class SuccessPlansConfig(AppConfig):
    """Success plans, objectives and KPIs, playbooks and tasks, business challenges."""

    name = "successplans"
    verbose_name = "Success plans"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (registers the search-as-you-type lookups)
