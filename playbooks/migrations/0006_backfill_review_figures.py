"""Fill the stored Review figures of existing cases from their journal.

The services now keep, on the case, when it left each lane and its cycle time
(migration 0005). Older cases have the same facts in their journal: the Phase
change written when the case left a lane (moving on, closing or canceling).
Each moment is its earliest Phase change from that lane (a case leaves a lane
once), read with one correlated subquery per field on the journal's
(case, kind, field) index; the cycle time is closing minus opening.
"""

from django.db import migrations
from django.db import models
from django.db.models import ExpressionWrapper
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Subquery

#: Field on the case -> the lane's label in the journal's Phase changes.
LEFT = {
    "initiate_ended_at": "Initiate",
    "assist_ended_at": "Assist",
    "review_close_ended_at": "Review & Close",
}


def backfill(apps, schema_editor=None):
    SuccessCase = apps.get_model("playbooks", "SuccessCase")
    JournalEntry = apps.get_model("playbooks", "JournalEntry")
    for name, label in LEFT.items():
        left = (
            JournalEntry.objects.filter(
                case=OuterRef("pk"), kind="change", field="Phase", old_value=label
            )
            .order_by("created_at")
            .values("created_at")[:1]
        )
        SuccessCase.objects.filter(**{f"{name}__isnull": True}).update(**{name: Subquery(left)})
    SuccessCase.objects.filter(closed_at__isnull=False, cycle_time__isnull=True).update(
        cycle_time=ExpressionWrapper(
            F("closed_at") - F("opened_at"), output_field=models.DurationField()
        )
    )


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0005_stored_review_figures_and_list_indexes")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
