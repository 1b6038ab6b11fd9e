"""Admins define the measures and thresholds here; CSMs' manual values and overrides are read
only (they are set on the account page, and kept as the history)."""

from django.contrib import admin
from django.db import transaction

from .models import HealthSettings
from .models import ManualValue
from .models import Measure
from .models import Override
from .models import Snapshot
from .tasks import refresh_every_account_health


class _RescoresAll(admin.ModelAdmin):
    """A changed weight, rule or threshold changes every score: the stored ones
    (``AccountHealth``) are computed again in the background once the change is committed
    (one task per request, however many rows the change list saved)."""

    def _rescore(self, request) -> None:
        if not getattr(request, "_health_rescore", False):
            request._health_rescore = True
            transaction.on_commit(refresh_every_account_health.enqueue)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        self._rescore(request)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)  # the unsuccessful codes
        self._rescore(request)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        self._rescore(request)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        self._rescore(request)


@admin.register(Measure)
class MeasureAdmin(_RescoresAll):
    list_display = ["name", "rule", "weight", "target", "active", "order"]
    list_editable = ["weight", "active", "order"]
    list_filter = ["rule", "active"]
    search_fields = ["name"]


@admin.register(HealthSettings)
class HealthSettingsAdmin(_RescoresAll):
    list_display = ["__str__"]
    filter_horizontal = ["unsuccessful_codes"]

    def has_add_permission(self, request) -> bool:
        return not HealthSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ManualValue)
class ManualValueAdmin(_ReadOnly):
    list_display = ["account", "measure", "value", "set_by", "set_at"]
    list_filter = ["measure", "value"]
    list_select_related = ["account", "measure", "set_by"]
    search_fields = ["account__name", "note"]


@admin.register(Override)
class OverrideAdmin(_ReadOnly):
    list_display = ["account", "score", "expires_on", "set_by", "set_at"]
    list_select_related = ["account", "set_by"]
    search_fields = ["account__name", "reason"]


@admin.register(Snapshot)
class SnapshotAdmin(_ReadOnly):
    list_display = ["account", "day", "score", "colour", "overridden", "change"]
    list_filter = ["colour", "overridden"]
    list_select_related = ["account"]
    search_fields = ["account__name"]
    date_hierarchy = "day"
