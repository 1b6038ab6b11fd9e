from django.http import HttpRequest

from core.roles import user_roles

from .navigation import nav_for


def workspace(request: HttpRequest) -> dict:
    """Navigation (with the current page's section marked) and role names for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_items": nav_for(user, request.path), "user_roles": user_roles(user)}
