import django_filters

from core.filters import YesNoFilter

from .models import Notification


class NotificationFilter(django_filters.FilterSet):
    unread = YesNoFilter(field_name="read_at", lookup_expr="isnull", label="Unread")

    class Meta:
        model = Notification
        fields = []
