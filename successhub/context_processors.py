from django.http import HttpRequest

from core.roles import user_roles

from .navigation import nav_for


def workspace(request: HttpRequest) -> dict:
    """Navigation and role names for the base layout, computed lazily."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_items": nav_for(user), "user_roles": user_roles(user)}
