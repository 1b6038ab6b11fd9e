"""Forms of the success plan pages. They convert and validate; services save several rows.

Modules: ``fields`` (resources, record type field sets, dates in order), ``plans`` (the
plan window, its challenges, Change effective date), ``records`` (related records and
KPIs), ``template_rows`` and ``template_grid`` (Create Success Plan from a template).

Record types: a form built for a record type shows only the optional fields in
its field set (``FieldSetMixin``); the Record Type itself is then fixed and
shown read-only. Without record types the default field set shows every field.
"""

from .fields import (
    RESOURCE_ERROR,
    DatesInOrderMixin,
    FieldSetMixin,
    RecordTypeChoiceForm,
    ResourceChoiceField,
    ResourcesChoiceField,
    record_types_for,
)
from .plans import BusinessChallengeForm, ChallengeFormSet, EffectiveDateForm, SuccessPlanForm
from .records import (
    CSActivityForm,
    ObjectiveForm,
    ObjectiveKPIForm,
    PlanKPIGridFormSet,
    PlaybookForm,
    PlaybookTaskForm,
)
from .template_grid import SelectRecordsGrid
from .template_rows import (
    ObjectiveRowForm,
    PlaybookRowForm,
    PooledResourceField,
    PooledResourcesField,
    ResourcePool,
    TaskRowForm,
    TemplateKPIForm,
    TemplateKPIFormSet,
    TemplatePlanDetailsForm,
)

__all__ = [
    "RESOURCE_ERROR",
    "BusinessChallengeForm",
    "CSActivityForm",
    "ChallengeFormSet",
    "DatesInOrderMixin",
    "EffectiveDateForm",
    "FieldSetMixin",
    "ObjectiveForm",
    "ObjectiveKPIForm",
    "ObjectiveRowForm",
    "PlanKPIGridFormSet",
    "PlaybookForm",
    "PlaybookRowForm",
    "PlaybookTaskForm",
    "PooledResourceField",
    "PooledResourcesField",
    "RecordTypeChoiceForm",
    "ResourceChoiceField",
    "ResourcePool",
    "ResourcesChoiceField",
    "SelectRecordsGrid",
    "SuccessPlanForm",
    "TaskRowForm",
    "TemplateKPIForm",
    "TemplateKPIFormSet",
    "TemplatePlanDetailsForm",
    "record_types_for",
]
