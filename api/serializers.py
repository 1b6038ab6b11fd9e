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


def shaped(
    class_name: str,
    model,
    fields: str,
    /,
    *,
    base: type = serializers.ModelSerializer,
    **declared: serializers.Field,
) -> type[serializers.ModelSerializer]:
    """The model serializer ``class_name``: ``model``'s ``fields`` (names separated by
    spaces; a leading ``...`` stands for ``base``'s fields), with the ``declared`` fields
    (references, renamed and computed values): a line a resource, not a class and its Meta."""
    names = fields.split()
    if names[:1] == ["..."]:
        names = [*base.Meta.fields, *names[1:]]
    meta = type("Meta", (), {"model": model, "fields": names})
    return type(class_name, (base,), {"Meta": meta, "__module__": __name__, **declared})


def _name_of(source: str) -> serializers.CharField:
    # A reference shown by its name (a closure code, a record type, a category), or null.
    return serializers.CharField(source=f"{source}.name", allow_null=True, default=None)


def _value(**kwargs) -> serializers.DecimalField:
    # JSON numbers, not strings: what a usage feed sends and reads back.
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, **kwargs
    )


# -- references to other rows (what the list pages show of them) -------------------------------
UserRefSerializer = shaped(
    "UserRefSerializer",
    get_user_model(),
    "id username name",
    name=serializers.CharField(source="get_full_name", read_only=True),
)
ResourceRefSerializer = shaped(
    "ResourceRefSerializer",
    Resource,
    "id name",
    name=serializers.CharField(source="__str__", read_only=True),
)
AccountRefSerializer = shaped("AccountRefSerializer", Account, "id name")

# -- engagements --------------------------------------------------------------------------------
AccountSerializer = shaped(
    "AccountSerializer",
    Account,
    "id name industry tier owner engagement_count external_id created_at",
    owner=UserRefSerializer(allow_null=True),
    engagement_count=serializers.IntegerField(read_only=True),
)
EngagementSerializer = shaped(
    "EngagementSerializer",
    Engagement,
    "id name account stage state start_date end_date owner external_id created_at",
    account=AccountRefSerializer(),
    owner=UserRefSerializer(allow_null=True),
)
ResourceSerializer = shaped(
    "ResourceSerializer",
    Resource,
    "id name user title is_active is_psa external_id",
    name=serializers.CharField(source="__str__", read_only=True),
    user=UserRefSerializer(),
)

# -- success cases -------------------------------------------------------------------------------
CaseEngagementSerializer = shaped(
    "CaseEngagementSerializer", Engagement, "id name account", account=AccountRefSerializer()
)
SuccessCaseSerializer = shaped(
    "SuccessCaseSerializer",
    SuccessCase,
    "number short_description priority phase state engagement assigned_to planned_start"
    " planned_end opened_at closed_at",
    engagement=CaseEngagementSerializer(),
    assigned_to=UserRefSerializer(allow_null=True),
    state=serializers.CharField(
        source="state_label", read_only=True, help_text="Open, Closed or Canceled."
    ),
)
CaseActivitySerializer = shaped(
    "CaseActivitySerializer",
    CaseActivity,
    "id position phase name kind state completed_by completed_at",
    completed_by=UserRefSerializer(allow_null=True),
)
MeetingSerializer = shaped(
    "MeetingSerializer",
    Meeting,
    "id subject start end state attendees external_attendees location agenda notes",
    attendees=UserRefSerializer(many=True),
)
CaseTaskSerializer = shaped(
    "CaseTaskSerializer",
    CaseTask,
    "number short_description description state priority assigned_to due_date",
    assigned_to=UserRefSerializer(allow_null=True),
)
SuccessCaseDetailSerializer = shaped(
    "SuccessCaseDetailSerializer",
    SuccessCase,
    "... description squad opened_by closed_by closure_code close_notes cancel_reason"
    " activities meetings tasks",
    base=SuccessCaseSerializer,
    squad=UserRefSerializer(many=True),
    opened_by=UserRefSerializer(),
    closed_by=UserRefSerializer(allow_null=True),
    closure_code=_name_of("closure_code"),
    activities=CaseActivitySerializer(many=True),
    meetings=MeetingSerializer(many=True),
    tasks=CaseTaskSerializer(many=True),
)
JournalEntrySerializer = shaped(
    "JournalEntrySerializer",
    JournalEntry,
    "id kind text author created_at",
    author=UserRefSerializer(),
    text=serializers.CharField(source="body"),
)

# -- success plans, their records, KPIs -----------------------------------------------------------
SuccessPlanSerializer = shaped(
    "SuccessPlanSerializer",
    SuccessPlan,
    "id name description account effective_date end_date status owner record_type"
    " is_template created_at updated_at",
    account=AccountRefSerializer(allow_null=True),
    owner=ResourceRefSerializer(allow_null=True),
    record_type=_name_of("record_type"),
)
_PLAN_CHILD = "id plan name description start_date end_date status"
ObjectiveSerializer = shaped(
    "ObjectiveSerializer",
    Objective,
    f"{_PLAN_CHILD} resource",
    resource=ResourceRefSerializer(allow_null=True),
)
PlaybookSerializer = shaped("PlaybookSerializer", Playbook, "...", base=ObjectiveSerializer)
PlaybookTaskSerializer = shaped(
    "PlaybookTaskSerializer",
    PlaybookTask,
    f"{_PLAN_CHILD} playbook resources",
    resources=ResourceRefSerializer(many=True),
)
BusinessChallengeSerializer = shaped(
    "BusinessChallengeSerializer",
    BusinessChallenge,
    "id plan name category notes created_at",
    category=_name_of("category"),
)
ObjectiveKPISerializer = shaped(
    "ObjectiveKPISerializer",
    ObjectiveKPI,
    "id objective plan name unit baseline current_value target direction due_date external"
    " blocked badge",
    plan=serializers.IntegerField(source="objective.plan_id", read_only=True),
    baseline=_value(allow_null=True, read_only=True),
    current_value=_value(source="current", allow_null=True, read_only=True),
    target=_value(allow_null=True, read_only=True),
    badge=serializers.ChoiceField(
        choices=ObjectiveKPI.Badge.choices, read_only=True, help_text="Computed for today."
    ),
)
KPIValueSerializer = shaped(
    "KPIValueSerializer",
    KPIValue,
    "value recorded_at recorded_by",
    value=_value(allow_null=True, read_only=True),
    recorded_by=UserRefSerializer(),
)
ObjectiveKPIDetailSerializer = shaped(
    "ObjectiveKPIDetailSerializer",
    ObjectiveKPI,
    "... history",
    base=ObjectiveKPISerializer,
    history=KPIValueSerializer(many=True, help_text="Every change of the current value."),
)
ObjectiveDetailSerializer = shaped(
    "ObjectiveDetailSerializer",
    Objective,
    "... kpis",
    base=ObjectiveSerializer,
    kpis=ObjectiveKPISerializer(many=True),
)


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
