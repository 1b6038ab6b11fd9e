"""Users with their roles in the Django admin.

Roles are groups, so membership is edited on the user's page (Groups) and the
users list filters by role through the Groups filter.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Prefetch

User = get_user_model()


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [
            (name, name) for name in Group.objects.order_by("name").values_list("name", flat=True)
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(groups__name=self.value())
        return queryset


admin.site.unregister(User)


@admin.register(User)
class SuccessHubUserAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "roles",
        "is_staff",
        "is_active",
    ]
    list_filter = [RoleFilter, "is_staff", "is_superuser", "is_active"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        )

    @admin.display(description="Roles")
    def roles(self, obj) -> str:
        return ", ".join(group.name for group in obj.groups.all()) or "—"
