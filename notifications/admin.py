from django.contrib import admin

from .models import CalendarFeed
from .models import Notification
from .models import NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "user", "event", "text", "read_at", "mail"]
    list_filter = ["event", "mail"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "delivery"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Admins may revoke a feed (delete); the token itself is never shown."""

    list_display = ["user", "created"]
    exclude = ["token"]
    raw_id_fields = ["user"]
