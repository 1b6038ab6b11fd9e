from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    """Success cases worked through the Initiate, Assist, Review & Close playbook."""

    name = "playbooks"

    def ready(self):
        from . import lookups  # noqa: F401  (registers the search-as-you-type lookups)
