from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    """Accounts, engagements and resources: who works with whom."""

    name = "engagements"
