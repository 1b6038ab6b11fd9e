"""The playbooks in the Django admin: definitions, their versions and the versions' activities.

A version that a case started with is read-only everywhere here: **Edit activities** on a
playbook starts the next version (a copy of the latest) when the latest is in use, and
opens it. New cases follow the latest version. Only superusers and whoever holds the
playbook models' permissions (no role group does) reach these pages.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case
from django.db.models import Count
from django.db.models import Exists
from django.db.models import Max
from django.db.models import OuterRef
from django.db.models import Value
from django.db.models import When
from django.http import HttpResponse
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify

from core.formsets import BoundedChangelistMixin

from . import services
from .admin import ReadOnlyInline
from .models import LANES
from .models import ActivityDefinition
from .models import PlaybookDefinition
from .models import PlaybookVersion
from .models import SuccessCase

#: Lanes in playbook order (Initiate, Assist, Review & Close), not alphabetical.
LANE_ORDER = Case(*(When(phase=p, then=Value(i)) for i, p in enumerate(LANES)), default=Value(9))

IN_USE = (
    "Version {number} of {name} is used by success cases and cannot change; use Edit "
    "activities on the playbook to start the next version."
)


def _in_use_message(version: PlaybookVersion) -> str:
    return IN_USE.format(number=version.number, name=version.definition.name)


def _with_in_use(queryset):
    return queryset.annotate(
        in_use=Exists(SuccessCase.objects.filter(playbook_version=OuterRef("pk")))
    )


# -- definitions ---------------------------------------------------------------------------


class PlaybookVersionInline(ReadOnlyInline):
    """The playbook's versions with their activities, read-only (a version is edited on its
    own page while no case uses it)."""

    model = PlaybookVersion
    fields = ["number", "created_at", "cases_count", "lanes", "open_link"]
    readonly_fields = fields
    ordering = ["-number"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(case_count=Count("cases"))
            .prefetch_related("activities")
        )

    @admin.display(description="Cases")
    def cases_count(self, obj: PlaybookVersion) -> int:
        return obj.case_count

    @admin.display(description="Lanes")
    def lanes(self, obj: PlaybookVersion) -> str:
        activities = sorted(obj.activities.all(), key=lambda a: (LANES.index(a.phase), a.order))
        return format_html(
            "{}",
            "; ".join(
                f"{lane.label}: " + ", ".join(a.name for a in activities if a.phase == lane)
                for lane in LANES
                if any(a.phase == lane for a in activities)
            )
            or "—",
        )

    @admin.display(description="")
    def open_link(self, obj: PlaybookVersion) -> str:
        url = reverse("admin:playbooks_playbookversion_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, "View" if obj.case_count else "Edit")


class PlaybookDefinitionForm(forms.ModelForm):
    class Meta:
        model = PlaybookDefinition
        fields = ["name", "description", "is_default"]

    def _get_validation_exclusions(self):
        # The one-default constraint is kept by playbook_make_default (it moves the default).
        return {*super()._get_validation_exclusions(), "is_default"}

    def clean_is_default(self):
        is_default = self.cleaned_data["is_default"]
        instance = self.instance
        if instance.pk and instance.is_default and not is_default:
            raise ValidationError(
                "Exactly one playbook is the default: make another one the default instead."
            )
        if is_default and not instance.is_default:
            version = services.playbook_version_current(instance) if instance.pk else None
            if version is None or not version.activities.filter(active=True).exists():
                raise ValidationError(
                    "Give the playbook activities (Edit activities) before making it the default."
                )
        return is_default


@admin.register(PlaybookDefinition)
class PlaybookDefinitionAdmin(admin.ModelAdmin):
    form = PlaybookDefinitionForm
    list_display = ["name", "is_default", "latest_version", "description"]
    search_fields = ["name", "description"]
    inlines = [PlaybookVersionInline]
    actions = ["edit_activities", "export_yaml"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(latest=Max("versions__number"))

    @admin.display(description="Latest version", ordering="latest")
    def latest_version(self, obj: PlaybookDefinition):
        return obj.latest or "—"

    def has_delete_permission(self, request, obj=None) -> bool:
        # Cases point at versions (protected); a playbook no case used may go.
        if obj is not None and (
            obj.is_default or SuccessCase.objects.filter(playbook_version__definition=obj).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        with transaction.atomic():
            PlaybookVersion.objects.filter(definition=obj).delete()
            obj.delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            if self.has_delete_permission(request, obj):
                self.delete_model(request, obj)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        becomes_default = "is_default" in form.changed_data and obj.is_default
        obj.is_default = obj.is_default and not becomes_default  # the service sets it below
        super().save_model(request, obj, form, change)
        if not change:
            PlaybookVersion.objects.create(definition=obj, number=1)
        if becomes_default:
            services.playbook_make_default(definition=obj)

    def _one(self, request, queryset) -> PlaybookDefinition | None:
        if queryset.count() != 1:
            self.message_user(request, "Choose one playbook.", messages.ERROR)
            return None
        return queryset.get()

    @admin.action(description="Edit activities (a new version when the latest is in use)")
    def edit_activities(self, request, queryset):
        definition = self._one(request, queryset)
        if definition is None:
            return None
        version, created = services.playbook_version_for_editing(definition=definition)
        if created:
            self.message_user(
                request,
                f"Version {version.number} of {definition.name} started from the one in use; "
                "cases started earlier keep theirs.",
            )
        return HttpResponseRedirect(
            reverse("admin:playbooks_playbookversion_change", args=[version.pk])
        )

    @admin.action(description="Export as YAML")
    def export_yaml(self, request, queryset):
        definition = self._one(request, queryset)
        if definition is None:
            return None
        version = services.playbook_version_current(definition)
        if version is None:
            self.message_user(request, f"{definition.name} has no version.", messages.ERROR)
            return None
        response = HttpResponse(
            services.playbook_export(version=version), content_type="application/yaml"
        )
        filename = f"{slugify(definition.name)}-v{version.number}.yaml"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# -- versions and their activities ---------------------------------------------------------


class ActivityInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Checked again on save: a case may have started with this version meanwhile.
        if self.instance.pk and services.version_in_use(self.instance):
            raise ValidationError(_in_use_message(self.instance))


class ActivityDefinitionInline(admin.TabularInline):
    model = ActivityDefinition
    formset = ActivityInlineFormSet
    fields = ["phase", "order", "name", "kind", "instructions", "active"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).order_by(LANE_ORDER.asc(), "order")

    def _editable(self, request, obj) -> bool:
        if obj is None:
            return False
        in_use = obj.in_use if hasattr(obj, "in_use") else services.version_in_use(obj)
        return not in_use

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


@admin.register(PlaybookVersion)
class PlaybookVersionAdmin(admin.ModelAdmin):
    list_display = ["definition", "number", "created_at", "in_use_display"]
    list_filter = ["definition"]
    search_fields = ["definition__name"]
    readonly_fields = ["definition", "number", "created_at", "in_use_display"]
    fields = readonly_fields
    inlines = [ActivityDefinitionInline]

    def get_queryset(self, request):
        return _with_in_use(super().get_queryset(request).select_related("definition"))

    @admin.display(description="Used by cases", boolean=True)
    def in_use_display(self, obj: PlaybookVersion) -> bool:
        return obj.in_use

    def has_add_permission(self, request) -> bool:
        return False  # Edit activities on a playbook, or playbook_import, makes versions.

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.in_use:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        if version is not None and version.in_use and request.method == "GET":
            messages.info(request, _in_use_message(version))
        return super().change_view(request, object_id, form_url, extra_context)


class DefinitionOrderFormSet(forms.BaseModelFormSet):
    """Refuse a position its lane already uses, instead of failing on the unique constraint,
    and any change to a version a case uses.

    The changelist form holds only ``order`` and ``active``, so Django's own
    check of the (version, phase, order) constraint, which needs ``phase`` in the form,
    does not run there. Swapping two positions takes a free number in between.
    """

    def clean(self):
        super().clean()
        wanted = {}
        for form in self.forms:
            if not form.has_changed():
                continue
            definition = form.instance
            if services.version_in_use(definition.version):
                form.add_error(None, _in_use_message(definition.version))
                continue
            order = getattr(form, "cleaned_data", {}).get("order")
            if order is None or "order" not in form.changed_data:
                continue
            key = (definition.version_id, definition.phase, order)
            taken = (
                ActivityDefinition.objects.filter(
                    version=definition.version_id, phase=definition.phase, order=order
                )
                .exclude(pk=definition.pk)
                .first()
            )
            if taken or key in wanted:
                holder = taken.name if taken else wanted[key]
                form.add_error(
                    "order",
                    f"{definition.get_phase_display()} already has “{holder}” at position "
                    f"{order}; move it to a free position first.",
                )
            wanted[key] = definition.name


class ActivityDefinitionForm(forms.ModelForm):
    class Meta:
        model = ActivityDefinition
        fields = ["version", "phase", "order", "name", "kind", "instructions", "active"]

    def clean_version(self):
        version = self.cleaned_data["version"]
        if services.version_in_use(version) or (
            self.instance.pk and services.version_in_use(self.instance.version)
        ):
            raise ValidationError(_in_use_message(version))
        return version


@admin.register(ActivityDefinition)
class ActivityDefinitionAdmin(BoundedChangelistMixin, admin.ModelAdmin):
    """Every playbook version's activities in one list; those of versions in use are read-only."""

    form = ActivityDefinitionForm
    list_display = ["version", "phase", "order", "name", "kind", "active"]
    list_display_links = ["name"]
    list_editable = ["order", "active"]
    list_filter = ["version__definition", "phase", "kind", "active"]
    list_select_related = ["version__definition"]
    search_fields = ["name", "instructions", "version__definition__name"]
    ordering = ["version__definition__name", "-version__number", LANE_ORDER.asc(), "order"]
    fields = ["version", "phase", "order", "name", "kind", "instructions", "active"]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and services.version_in_use(obj.version):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and services.version_in_use(obj.version):
            return False
        return super().has_delete_permission(request, obj)

    def get_changelist_formset(self, request, **kwargs):
        kwargs.setdefault("formset", DefinitionOrderFormSet)
        return super().get_changelist_formset(request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = PlaybookVersion.objects.select_related("definition").exclude(
                Exists(SuccessCase.objects.filter(playbook_version=OuterRef("pk")))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
