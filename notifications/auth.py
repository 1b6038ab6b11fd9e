"""The signed-in user's load also counts their unread notifications, for the bell.

Every page loads the signed-in user; a scalar subquery in that same query (on the
``notification_unread`` partial index) gives the top bar's count, so the bell costs no
query of its own (``context_processors.unread`` falls back to one for a session signed in
through another backend). The people labels' namesakes, the user's groups and permissions
are read as ``core.auth`` reads them.
"""

from __future__ import annotations

from django.db.models import Count
from django.db.models import IntegerField
from django.db.models import OuterRef
from django.db.models import Subquery
from django.db.models import Value
from django.db.models.functions import Coalesce

from core.auth import PersonLabelBackend

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
    def users(self):
        return super().users().annotate(_unread_notifications=unread_subquery())
