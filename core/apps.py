from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer every SuccessHub app builds on; it has no models and imports no app."""

    name = "core"
    verbose_name = "SuccessHub core"
