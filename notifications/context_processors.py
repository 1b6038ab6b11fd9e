from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict:
    """The bell's unread count in the top bar: read with the signed-in user
    (``notifications.auth``), else one query, and only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        known = getattr(user, "_unread_notifications", None)
        return unread_count(user) if known is None else known

    return {"notifications_unread": count}
