"""Django admin for success plans, their children, record types and challenge categories."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from core.formsets import BoundedChangelistMixin

from .models import BusinessChallenge
from .models import ChallengeCategory
from .models import CSActivity
from .models import KPIValue
from .models import Objective
from .models import ObjectiveKPI
from .models import Playbook
from .models import PlaybookTask
from .models import RecordType
from .models import SuccessPlan


class RecordTypeAdminForm(forms.ModelForm):
    """The field set as checkboxes of the optional fields of every object."""

    field_set = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=sorted(
            {
                (name, name.replace("_", " ").capitalize())
                for names in RecordType.OPTIONAL_FIELDS.values()
                for name in names
            }
        ),
        help_text="Optional fields this record type's forms show (only those of its object count).",
    )

    class Meta:
        model = RecordType
        fields = ["object_type", "name", "description", "field_set", "active"]


@admin.register(RecordType)
class RecordTypeAdmin(admin.ModelAdmin):
    form = RecordTypeAdminForm
    list_display = ["name", "object_type", "shown_fields", "active"]
    list_filter = ["object_type", "active"]
    search_fields = ["name", "description"]

    @admin.display(description="Field set")
    def shown_fields(self, obj) -> str:
        return ", ".join(obj.field_set) or "—"


@admin.register(ChallengeCategory)
class ChallengeCategoryAdmin(BoundedChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "order", "active", "challenge_count"]
    list_editable = ["order", "active"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(challenge_count=Count("challenges"))

    @admin.display(description="Challenges", ordering="challenge_count")
    def challenge_count(self, obj) -> int:
        return obj.challenge_count


class ObjectiveInline(admin.TabularInline):
    """A plan's objectives; the playbooks' inline shows the same columns."""

    model = Objective
    extra = 0
    fields = ["name", "start_date", "end_date", "status", "resource", "record_type"]
    show_change_link = True
    autocomplete_fields = ["resource"]


class PlaybookInline(ObjectiveInline):
    model = Playbook


class BusinessChallengeInline(admin.TabularInline):
    model = BusinessChallenge
    extra = 0
    fields = ["name", "category", "notes"]


@admin.register(SuccessPlan)
class SuccessPlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "account",
        "owner",
        "status",
        "effective_date",
        "end_date",
        "is_template",
    ]
    list_filter = ["status", "is_template", "record_type", "account__tier"]
    search_fields = ["name", "description", "account__name"]
    list_select_related = ["account", "owner__user"]
    autocomplete_fields = ["account", "owner"]
    date_hierarchy = "effective_date"
    inlines = [ObjectiveInline, PlaybookInline, BusinessChallengeInline]

    def get_readonly_fields(self, request, obj=None):
        """A plan's effective date moves its children with it: only Change effective date
        in the workspace (``services.plan_change_effective_date``) may change it."""
        return ["effective_date"] if obj is not None else []


class _KPIValueByService:
    """A KPI's Current is recorded with its history by the workspace's KPI services, so the
    admin shows it but does not change it (a direct save would skip the history)."""

    def get_readonly_fields(self, request, obj=None):
        return ["current"]


class ObjectiveKPIInline(_KPIValueByService, admin.TabularInline):
    model = ObjectiveKPI
    extra = 0
    fields = ObjectiveKPI.EDITABLE_FIELDS
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "status", "start_date", "end_date", "resource"]
    list_filter = ["status", "record_type"]
    search_fields = ["name", "plan__name", "plan__account__name"]
    list_select_related = ["plan", "resource__user"]
    autocomplete_fields = ["plan", "resource"]
    inlines = [ObjectiveKPIInline]


class KPIValueInline(admin.TabularInline):
    model = KPIValue
    extra = 0
    fields = ["value", "recorded_at", "recorded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ObjectiveKPI)
class ObjectiveKPIAdmin(_KPIValueByService, admin.ModelAdmin):
    list_display = [
        "name",
        "objective",
        "baseline",
        "current",
        "target",
        "unit",
        "due_date",
        "badge",
    ]
    list_filter = ["direction", "external", "blocked"]
    search_fields = ["name", "objective__name", "objective__plan__name"]
    list_select_related = ["objective"]
    autocomplete_fields = ["objective"]
    inlines = [KPIValueInline]

    @admin.display(description="Badge")
    def badge(self, obj) -> str:
        return obj.badge


@admin.register(KPIValue)
class KPIValueAdmin(admin.ModelAdmin):
    """The KPI history is written by the workspace; here it is read-only."""

    list_display = ["kpi", "value", "recorded_at", "recorded_by"]
    list_select_related = ["kpi", "recorded_by"]
    search_fields = ["kpi__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PlaybookTaskInline(admin.TabularInline):
    model = PlaybookTask
    extra = 0
    fields = ["name", "start_date", "end_date", "status"]
    show_change_link = True


@admin.register(Playbook)
class PlaybookAdmin(ObjectiveAdmin):
    """Listed and searched like objectives; its inline rows are its tasks."""

    inlines = [PlaybookTaskInline]


@admin.register(PlaybookTask)
class PlaybookTaskAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "playbook", "status", "start_date", "end_date"]
    list_filter = ["status", "record_type"]
    search_fields = ["name", "plan__name", "playbook__name"]
    list_select_related = ["plan", "playbook"]
    autocomplete_fields = ["plan", "playbook"]
    filter_horizontal = ["resources"]


@admin.register(BusinessChallenge)
class BusinessChallengeAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "category"]
    list_filter = ["category"]
    search_fields = ["name", "notes", "plan__name", "plan__account__name"]
    list_select_related = ["plan", "category"]
    autocomplete_fields = ["plan"]


@admin.register(CSActivity)
class CSActivityAdmin(admin.ModelAdmin):
    list_display = ["subject", "type", "date", "plan", "who"]
    list_filter = ["type", "record_type"]
    search_fields = ["subject", "notes", "plan__name"]
    list_select_related = ["plan", "who"]
    autocomplete_fields = ["plan"]
    date_hierarchy = "date"
