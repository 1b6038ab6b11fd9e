from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    """Success cases worked through the Initiate, Assist, Review & Close playbook."""

    name = "playbooks"
