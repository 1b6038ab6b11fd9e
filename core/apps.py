from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete
from django.db.models.signals import post_save


class CoreConfig(AppConfig):
    """The bottom layer every SuccessHub app builds on; it imports no app. Its one model is
    ``Generation`` (``core.generations``), the tokens every cache is keyed on."""

    name = "core"
    verbose_name = "SuccessHub core"

    def ready(self):
        from .formatting import forget_shared_full_names
        from .ids import register_lookups

        register_lookups()  # an id no integer column holds matches nothing, also in ``__in``

        # A person's label depends on the other users' names (namesakes get their username).
        for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                forget_shared_full_names,
                sender=settings.AUTH_USER_MODEL,
                dispatch_uid=f"core-person-labels-{uid}",
            )
