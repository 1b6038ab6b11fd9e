"""What the API returns for each resource, and the one body it accepts (a KPI's value).

Reads are shaped from the rows the selectors fetched (their joins), so a serializer never
starts a query of its own: a page of any size costs the same number of queries.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from engagements.models import Account
from engagements.models import Engagement
from engagements.models import Resource
from playbooks.models import CaseActivity
from playbooks.models import CaseTask
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import SuccessCase
from successplans.models import BusinessChallenge
from successplans.models import KPIValue
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan


# -- references to other rows (what the list pages show of them) -------------------------------
class UserRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "name"]


class ResourceRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Resource
        fields = ["id", "name"]


class AccountRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["id", "name"]


# -- engagements --------------------------------------------------------------------------------
class AccountSerializer(serializers.ModelSerializer):
    owner = UserRefSerializer(allow_null=True)
    engagement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Account
        fields = [
            "id",
            "name",
            "industry",
            "tier",
            "owner",
            "engagement_count",
            "external_id",
            "created_at",
        ]


class EngagementSerializer(serializers.ModelSerializer):
    account = AccountRefSerializer()
    owner = UserRefSerializer(allow_null=True)

    class Meta:
        model = Engagement
        fields = [
            "id",
            "name",
            "account",
            "stage",
            "state",
            "start_date",
            "end_date",
            "owner",
            "external_id",
            "created_at",
        ]


class ResourceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    user = UserRefSerializer()

    class Meta:
        model = Resource
        fields = ["id", "name", "user", "title", "is_active", "is_psa", "external_id"]


# -- success cases -------------------------------------------------------------------------------
class CaseEngagementSerializer(serializers.ModelSerializer):
    account = AccountRefSerializer()

    class Meta:
        model = Engagement
        fields = ["id", "name", "account"]


class SuccessCaseSerializer(serializers.ModelSerializer):
    engagement = CaseEngagementSerializer()
    assigned_to = UserRefSerializer(allow_null=True)
    state = serializers.CharField(
        source="state_label", read_only=True, help_text="Open, Closed or Canceled."
    )

    class Meta:
        model = SuccessCase
        fields = [
            "number",
            "short_description",
            "priority",
            "phase",
            "state",
            "engagement",
            "assigned_to",
            "planned_start",
            "planned_end",
            "opened_at",
            "closed_at",
        ]


class CaseActivitySerializer(serializers.ModelSerializer):
    completed_by = UserRefSerializer(allow_null=True)

    class Meta:
        model = CaseActivity
        fields = [
            "id",
            "position",
            "phase",
            "name",
            "kind",
            "state",
            "completed_by",
            "completed_at",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    attendees = UserRefSerializer(many=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "subject",
            "start",
            "end",
            "state",
            "attendees",
            "external_attendees",
            "location",
            "agenda",
            "notes",
        ]


class CaseTaskSerializer(serializers.ModelSerializer):
    assigned_to = UserRefSerializer(allow_null=True)

    class Meta:
        model = CaseTask
        fields = [
            "number",
            "short_description",
            "description",
            "state",
            "priority",
            "assigned_to",
            "due_date",
        ]


class SuccessCaseDetailSerializer(SuccessCaseSerializer):
    squad = UserRefSerializer(many=True)
    opened_by = UserRefSerializer()
    closed_by = UserRefSerializer(allow_null=True)
    closure_code = serializers.CharField(source="closure_code.name", allow_null=True, default=None)
    activities = CaseActivitySerializer(many=True)
    meetings = MeetingSerializer(many=True)
    tasks = CaseTaskSerializer(many=True)

    class Meta(SuccessCaseSerializer.Meta):
        fields = [
            *SuccessCaseSerializer.Meta.fields,
            "description",
            "squad",
            "opened_by",
            "closed_by",
            "closure_code",
            "close_notes",
            "cancel_reason",
            "activities",
            "meetings",
            "tasks",
        ]


# -- success plans, objectives, KPIs --------------------------------------------------------------
class SuccessPlanSerializer(serializers.ModelSerializer):
    account = AccountRefSerializer(allow_null=True)
    owner = ResourceRefSerializer(allow_null=True)
    record_type = serializers.CharField(source="record_type.name", allow_null=True, default=None)

    class Meta:
        model = SuccessPlan
        fields = [
            "id",
            "name",
            "description",
            "account",
            "effective_date",
            "end_date",
            "status",
            "owner",
            "record_type",
            "is_template",
            "created_at",
            "updated_at",
        ]


class ObjectiveSerializer(serializers.ModelSerializer):
    resource = ResourceRefSerializer(allow_null=True)

    class Meta:
        model = Objective
        fields = [
            "id",
            "plan",
            "name",
            "description",
            "start_date",
            "end_date",
            "status",
            "resource",
        ]


class PlaybookSerializer(ObjectiveSerializer):
    class Meta(ObjectiveSerializer.Meta):
        model = Playbook


class PlaybookTaskSerializer(serializers.ModelSerializer):
    resources = ResourceRefSerializer(many=True)

    class Meta:
        model = PlaybookTask
        fields = [
            "id",
            "plan",
            "playbook",
            "name",
            "description",
            "start_date",
            "end_date",
            "status",
            "resources",
        ]


class BusinessChallengeSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", allow_null=True, default=None)

    class Meta:
        model = BusinessChallenge
        fields = ["id", "plan", "name", "category", "notes", "created_at"]


class JournalEntrySerializer(serializers.ModelSerializer):
    author = UserRefSerializer()
    text = serializers.CharField(source="body")

    class Meta:
        model = JournalEntry
        fields = ["id", "kind", "text", "author", "created_at"]


def _value(**kwargs) -> serializers.DecimalField:
    # JSON numbers, not strings: what a usage feed sends and reads back.
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, **kwargs
    )


class ObjectiveKPISerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="objective.plan_id", read_only=True)
    baseline = _value(allow_null=True, read_only=True)
    current_value = _value(source="current", allow_null=True, read_only=True)
    target = _value(allow_null=True, read_only=True)
    badge = serializers.ChoiceField(
        choices=ObjectiveKPI.Badge.choices, read_only=True, help_text="Computed for today."
    )

    class Meta:
        model = ObjectiveKPI
        fields = [
            "id",
            "objective",
            "plan",
            "name",
            "unit",
            "baseline",
            "current_value",
            "target",
            "direction",
            "due_date",
            "external",
            "blocked",
            "badge",
        ]


class KPIValueSerializer(serializers.ModelSerializer):
    value = _value(allow_null=True, read_only=True)
    recorded_by = UserRefSerializer()

    class Meta:
        model = KPIValue
        fields = ["value", "recorded_at", "recorded_by"]


class ObjectiveKPIDetailSerializer(ObjectiveKPISerializer):
    history = KPIValueSerializer(many=True, help_text="Every change of the current value.")

    class Meta(ObjectiveKPISerializer.Meta):
        fields = [*ObjectiveKPISerializer.Meta.fields, "history"]


class ObjectiveDetailSerializer(ObjectiveSerializer):
    kpis = ObjectiveKPISerializer(many=True)

    class Meta(ObjectiveSerializer.Meta):
        fields = [*ObjectiveSerializer.Meta.fields, "kpis"]


class KPIValueInputSerializer(serializers.Serializer):
    """``PATCH /api/v1/kpis/<id>/``: the KPI's new current value (null clears it)."""

    current_value = _value(allow_null=True)

    def to_internal_value(self, data):
        # A misspelt field would otherwise be dropped silently and the call "succeed".
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: ["Unknown field: only current_value can be changed."]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)
