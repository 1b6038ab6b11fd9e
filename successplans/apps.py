from django.apps import AppConfig


class SuccessPlansConfig(AppConfig):
    """Success plans, objectives and KPIs, playbooks and tasks, business challenges."""

    name = "successplans"
    verbose_name = "Success plans"
