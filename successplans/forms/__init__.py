"""Forms of the success plan pages. They convert and validate; services save several rows.

Modules: ``fields`` (resources, record type field sets, dates in order), ``plans`` (the
plan window, its challenges, Change effective date), ``records`` (related records and
KPIs), ``template_rows`` and ``template_grid`` (Create Success Plan from a template).

Record types: a form built for a record type shows only the optional fields in
its field set (``FieldSetMixin``); the Record Type itself is then fixed and
shown read-only. Without record types the default field set shows every field.
"""

from .dates import record_dates_form
from .fields import RESOURCE_ERROR
from .fields import DatesInOrderMixin
from .fields import FieldSetMixin
from .fields import RecordTypeChoiceForm
from .fields import ResourceChoiceField
from .fields import ResourcesChoiceField
from .fields import record_types_for
from .plans import BusinessChallengeForm
from .plans import ChallengeFormSet
from .plans import EffectiveDateForm
from .plans import SuccessPlanForm
from .records import CSActivityForm
from .records import ObjectiveForm
from .records import ObjectiveKPIForm
from .records import PlanKPIGridFormSet
from .records import PlaybookForm
from .records import PlaybookTaskForm
from .start import BLANK
from .start import PlanStartForm
from .template_grid import SelectRecordsGrid
from .template_grid import kept_grid_data
from .template_rows import ObjectiveRowForm
from .template_rows import PlaybookRowForm
from .template_rows import PooledResourceField
from .template_rows import PooledResourcesField
from .template_rows import ResourcePool
from .template_rows import TaskRowForm
from .template_rows import TemplateKPIForm
from .template_rows import TemplateKPIFormSet
from .template_rows import TemplatePlanDetailsForm

__all__ = [
    "BLANK",
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
    "PlanStartForm",
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
    "kept_grid_data",
    "record_dates_form",
    "record_types_for",
]
