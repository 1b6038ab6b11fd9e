"""The signed-in user's load also counts their unread notifications, for the bell.

Every page loads the signed-in user; a scalar subquery in that same query (on the
``notification_unread`` partial index) gives the top bar's count, so the bell costs no
query of its own (``context_processors.unread`` falls back to one for a session signed in
through another backend). The people labels' namesakes are read as ``core.auth`` does.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.db.models import IntegerField
from django.db.models import OuterRef
from django.db.models import Subquery
from django.db.models import Value
from django.db.models.functions import Coalesce

from core.auth import PersonLabelBackend
from core.formatting import remember_shared_full_names
from core.formatting import shared_full_names_are_fresh
from core.formatting import shared_full_names_sql

from .models import Notification


def unread_subquery() -> Coalesce:
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


class UnreadCountBackend(PersonLabelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(_unread_notifications=unread_subquery())
        stale = not shared_full_names_are_fresh()
        if stale:
            users = users.annotate(_shared_names=shared_full_names_sql())
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        if stale:
            remember_shared_full_names(user._shared_names)
        return user if self.user_can_authenticate(user) else None
