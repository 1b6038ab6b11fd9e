from django import forms
from django.contrib import admin
from django.contrib import messages
from django.db.models import QuerySet
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV
from import_export.formats.base_formats import XLSX

from core.errors import DomainError

from . import services
from . import webhooks
from .imports import IMPORTS
from .models import ApiToken
from .models import WebhookAttempt
from .models import WebhookDelivery
from .models import WebhookEndpoint


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Admins see every token (never a key: only its hash is stored) and revoke any."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False  # a key is created by its user, who is the only one to see it

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Revoke selected tokens", permissions=["delete"])
    def revoke(self, request, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                services.token_revoke(token=token)
            except DomainError:
                continue  # revoked meanwhile
            revoked += 1
        self.message_user(request, f"{revoked} token(s) revoked.", messages.SUCCESS)


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https", help_text="Where events are POSTed."
    )
    event_types = forms.MultipleChoiceField(
        choices=[(name, f"{name} ({what})") for name, what in webhooks.EVENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Each delivery's body is JSON: id, type, created_at, data, object.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "secret"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Admins register the URLs that receive events, and enable one disabled after failures."""

    form = WebhookEndpointForm
    list_display = ["url", "description", "events", "created_at", "disabled_at"]
    list_filter = [("disabled_at", admin.EmptyFieldListFilter)]
    search_fields = ["url", "description"]
    readonly_fields = ["created_at", "disabled_at", "disabled_reason"]
    actions = ["enable"]

    @admin.display(description="Events")
    def events(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.event_types)

    @admin.action(description="Enable selected endpoints", permissions=["change"])
    def enable(self, request, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset.exclude(disabled_at=None):
            webhooks.endpoint_enable(endpoint=endpoint)
        self.message_user(request, "Enabled: new events are sent to them again.", messages.SUCCESS)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["at", "status_code", "duration_ms", "response_excerpt", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Every delivery with each of its attempts; "Redeliver" sends one again now."""

    list_display = [
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event_type", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["event_id", "event_type"]
    fields = [
        "endpoint",
        "event_id",
        "event_type",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
        "payload",
    ]
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request) -> bool:
        return False  # deliveries come from events

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_redeliver_permission(self, request) -> bool:
        return request.user.has_perm("api.change_webhookdelivery")

    @admin.action(description="Redeliver selected deliveries", permissions=["redeliver"])
    def redeliver(self, request, queryset: QuerySet[WebhookDelivery]) -> None:
        count = 0
        for delivery in queryset:
            webhooks.delivery_redeliver(delivery=delivery)
            count += 1
        self.message_user(request, f"{count} delivery(ies) sent again.", messages.SUCCESS)


# -- imports: the engagements admin, with django-import-export's Import button -----------------
class ContactAdmin(admin.ModelAdmin):
    """Contacts are edited on their account (an inline there, and on the account page); this
    list exists for the contacts import."""

    list_display = ["name", "account", "email", "role", "is_primary"]
    list_select_related = ["account"]
    list_filter = ["role", "is_primary"]
    search_fields = ["name", "email", "account__name"]
    autocomplete_fields = ["account"]


def _with_import(model, resource_class) -> None:
    """Register ``model``'s admin again with an Import (upload, dry-run preview, confirm).

    The engagements app keeps its admin classes (another layer owns them); the import is an
    integration, so it is added here, on top, by subclassing whatever admin is registered.
    """
    base = type(admin.site._registry.get(model) or ContactAdmin(model, admin.site))
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(
        model,
        type(
            f"{base.__name__}WithImport",
            (ImportMixin, base),
            # CSV or XLSX: what a CRM exports (the other formats would be one more way in).
            {"resource_classes": [resource_class], "import_formats": [CSV, XLSX]},
        ),
    )


for _model, _resource in IMPORTS.items():
    _with_import(_model, _resource)
