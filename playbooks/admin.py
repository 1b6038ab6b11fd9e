"""Success cases and the playbook definition in the Django admin.

Cases, meetings and tasks are opened and moved through their states in the
workspace, where the services number them, copy the playbook and journal every
change; here an administrator reads them and corrects their plain fields. So:

* the state machines' fields (``phase``, ``state``) are read-only everywhere,
  and there are no transition buttons that would skip the journal;
* cases, meetings and tasks cannot be added or deleted here (cancel instead),
  and nothing of a closed or canceled case can be edited;
* every field an administrator changes here is journaled like any other change;
* the journal itself can be read but not added to, edited or deleted.

The closure codes, and the playbooks with their versions and activities
(``playbook_admin``), are what an administrator does maintain here.
"""

from __future__ import annotations

from django.contrib import admin

from core.formsets import BoundedChangelistMixin

from . import services
from .models import CaseActivity
from .models import CaseTask
from .models import ClosureCode
from .models import JournalEntry
from .models import Meeting
from .models import SuccessCase

# -- journaling the admin's own edits --------------------------------------------------


def _shown(obj, field) -> object:
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    return getattr(obj, field.name)


class JournaledAdmin(admin.ModelAdmin):
    """Edits saved through this admin are written to the case's journal."""

    def case_of(self, obj) -> SuccessCase:
        return obj.case

    def journal_field(self, obj, field) -> str:
        return f"{services.record_label(obj)} {field.verbose_name}"

    def has_change_permission(self, request, obj=None) -> bool:
        # A closed or canceled case can no longer change, here either: its page
        # (and its meetings' and tasks' pages) become read-only.
        if obj is not None and not self.case_of(obj).is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        changes = []
        if change:
            before = type(obj).objects.get(pk=obj.pk)
            for name in form.changed_data:
                field = obj._meta.get_field(name)
                if field.many_to_many:
                    continue  # journaled in save_related, once the set is saved
                label = self.journal_field(obj, field)
                changes.append((label, _shown(before, field), _shown(obj, field)))
        super().save_model(request, obj, form, change)
        services.journal_admin_changes(case=self.case_of(obj), user=request.user, changes=changes)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        many = [
            obj._meta.get_field(name)
            for name in form.changed_data
            if obj._meta.get_field(name).many_to_many
        ]
        before = {field.name: list(getattr(obj, field.name).all()) for field in many}
        super().save_related(request, form, formsets, change)
        changes = []
        for field in many:
            after = list(getattr(obj, field.name).all())
            if {u.pk for u in before[field.name]} != {u.pk for u in after}:
                label = self.journal_field(obj, field)
                changes.append((label, services.people(before[field.name]), services.people(after)))
        services.journal_admin_changes(case=self.case_of(obj), user=request.user, changes=changes)


# -- success cases -----------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent that nothing here adds, changes or deletes; a subclass
    names its ``fields`` and makes them ``readonly_fields``."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CaseActivityInline(ReadOnlyInline):
    """The case's playbook as it stands; activities move only in the workspace."""

    model = CaseActivity
    fields = ["position", "phase", "name", "kind", "state", "completed_by", "completed_at"]
    readonly_fields = fields
    ordering = ["position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("completed_by")


_OPENED_AND_CLOSED = [
    "opened_by",
    "opened_at",
    "closure_code",
    "close_notes",
    "cancel_reason",
    "closed_by",
    "closed_at",
    "updated_at",
]
_REVIEW = ["reviewed_at", "reviewed_by", "review_note"]


@admin.register(SuccessCase)
class SuccessCaseAdmin(JournaledAdmin):
    list_display = [
        "number",
        "engagement",
        "account",
        "phase",
        "assigned_to",
        "opened_at",
        "closed_at",
    ]
    list_filter = ["phase", "closure_code", "engagement__account"]
    search_fields = [
        "number",
        "short_description",
        "engagement__name",
        "engagement__account__name",
    ]
    list_select_related = ["engagement__account", "assigned_to"]
    date_hierarchy = "opened_at"
    autocomplete_fields = ["assigned_to", "squad"]
    fieldsets = [
        (None, {"fields": ["number", "engagement", "phase", "state", "progress"]}),
        (
            "Core information",
            {
                "fields": [
                    *SuccessCase.CORE_INFORMATION_FIELDS,
                    "squad",
                ]
            },
        ),
        ("Opened and closed", {"fields": _OPENED_AND_CLOSED}),
        ("Review", {"fields": _REVIEW}),
    ]
    # Set by the services only: opening, the Close record activity, Close success case and
    # Cancel, and Mark Reviewed in the Review workspace.
    readonly_fields = ["number", "engagement", "phase", "state", "progress"]
    readonly_fields += [*_OPENED_AND_CLOSED, *_REVIEW]
    inlines = [CaseActivityInline]

    def case_of(self, obj) -> SuccessCase:
        return obj

    def journal_field(self, obj, field) -> str:
        # The same labels as the workspace's own changes ("Assigned to", "Squad").
        return str(field.verbose_name).capitalize()

    @admin.display(description="Account", ordering="engagement__account__name")
    def account(self, obj: SuccessCase) -> str:
        return obj.engagement.account.name

    @admin.display(description="State")
    def state(self, obj: SuccessCase) -> str:
        return obj.state_label

    @admin.display(description="Progress")
    def progress(self, obj: SuccessCase) -> str:
        return obj.progress_label


# -- meetings and tasks ----------------------------------------------------------------


@admin.register(Meeting)
class MeetingAdmin(JournaledAdmin):
    list_display = ["subject", "case", "start", "end", "state", "created_by"]
    list_filter = ["state", "start"]
    search_fields = ["subject", "case__number", "location", "agenda", "external_attendees"]
    list_select_related = ["case", "created_by"]
    date_hierarchy = "start"
    autocomplete_fields = ["attendees"]
    fields = [
        "case",
        "subject",
        "state",
        "start",
        "end",
        "location",
        "attendees",
        "external_attendees",
        "agenda",
        "notes",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["case", "state", "created_by", "created_at"]


@admin.register(CaseTask)
class CaseTaskAdmin(JournaledAdmin):
    list_display = [
        "number",
        "short_description",
        "case",
        "state",
        "assigned_to",
        "priority",
        "due_date",
    ]
    list_filter = ["state", "priority"]
    search_fields = ["number", "short_description", "case__number"]
    list_select_related = ["case", "assigned_to"]
    autocomplete_fields = ["assigned_to"]
    fields = [
        "number",
        "case",
        "short_description",
        "description",
        "state",
        "assigned_to",
        "priority",
        "due_date",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["number", "case", "state", "created_by", "created_at"]


# -- what administrators maintain -------------------------------------------------------


@admin.register(ClosureCode)
class ClosureCodeAdmin(BoundedChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


# -- the journal -----------------------------------------------------------------------


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    """The case journal is append-only: administrators read it, nobody edits it here."""

    list_display = ["created_at", "case", "kind", "author", "field", "old_value", "new_value"]
    list_filter = ["kind", "created_at", "case__phase"]
    search_fields = ["case__number", "field", "old_value", "new_value", "body"]
    list_select_related = ["case", "author"]
    date_hierarchy = "created_at"
    fields = ["case", "kind", "author", "created_at", "field", "old_value", "new_value", "body"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The playbooks, their versions and activities register themselves there.
from . import playbook_admin  # noqa: E402, F401
