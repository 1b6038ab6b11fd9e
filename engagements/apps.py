from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    """Accounts, engagements and resources: who works with whom."""

    name = "engagements"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  (registers the search-as-you-type lookups)
