from django.contrib import admin
from django.db.models import Count

from .models import Account
from .models import AccountChange
from .models import Contact
from .models import Engagement
from .models import Resource


class EngagementInline(admin.TabularInline):
    model = Engagement
    extra = 0
    fields = ["name", "stage", "state", "start_date", "end_date", "owner"]
    show_change_link = True


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "title", "email", "phone", "role", "is_primary"]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "industry", "tier", "owner", "csm", "renewal_date", "engagement_count"]
    list_filter = ["tier", "industry", "lifecycle_stage"]
    search_fields = ["name", "industry"]
    list_select_related = ["owner", "csm__user"]
    autocomplete_fields = ["owner", "csm"]
    inlines = [ContactInline, EngagementInline]

    def save_model(self, request, obj, form, change):
        """An admin's change of a fact is logged like one made on the account page."""
        super().save_model(request, obj, form, change)
        if not change:
            return
        AccountChange.objects.bulk_create(
            AccountChange(
                account=obj,
                actor=request.user,
                field=str(form.fields[name].label or name),
                old_value=str(form.initial.get(name) or "")[:300],
                new_value=str(form.cleaned_data.get(name) or "")[:300],
            )
            for name in form.changed_data
            if name in Account.FACT_FIELDS
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(engagement_count=Count("engagements"))

    @admin.display(description="Engagements", ordering="engagement_count")
    def engagement_count(self, obj) -> int:
        return obj.engagement_count


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "stage", "state", "start_date", "end_date", "owner"]
    list_filter = ["stage", "state", "account__tier"]
    search_fields = ["name", "account__name"]
    list_select_related = ["account", "owner"]
    autocomplete_fields = ["account", "owner"]
    date_hierarchy = "start_date"


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "title", "is_active", "is_psa"]
    list_filter = ["is_active", "is_psa"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "title"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
