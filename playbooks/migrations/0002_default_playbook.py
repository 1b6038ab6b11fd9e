"""Load the seed's playbook activities and the default closure codes."""

from django.db import migrations

from playbooks.defaults import CLOSURE_CODES
from playbooks.defaults import SEED_PLAYBOOK


def load(apps, schema_editor):
    ActivityDefinition = apps.get_model("playbooks", "ActivityDefinition")
    ClosureCode = apps.get_model("playbooks", "ClosureCode")
    for phase, order, name, kind, instructions in SEED_PLAYBOOK:
        ActivityDefinition.objects.get_or_create(
            phase=phase,
            order=order,
            defaults={"name": name, "kind": kind, "instructions": instructions},
        )
    for order, name in enumerate(CLOSURE_CODES, start=1):
        ClosureCode.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
