from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the webhook listener on core.events' catalogue.
        from . import webhooks  # noqa: F401
