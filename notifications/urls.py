from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("notifications/read-all/", views.notification_read_all, name="read-all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/calendar/renew/", views.calendar_renew, name="calendar-renew"),
    path("notifications/calendar/revoke/", views.calendar_revoke, name="calendar-revoke"),
    path("calendar/<str:secret>.ics", views.calendar, name="calendar"),
]
