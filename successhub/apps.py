from django.apps import AppConfig


class SuccessHubConfig(AppConfig):
    """Project-wide pieces: roles, navigation, shared template tags, seed_demo."""

    name = "successhub"
    verbose_name = "SuccessHub"
