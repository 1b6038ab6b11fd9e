"""Every activity definition belongs to a playbook version (0013 filled them in)."""

import django.db.models.deletion
from django.db import migrations
from django.db import models


class Migration(migrations.Migration):
    dependencies = [("playbooks", "0013_playbook_definitions")]

    operations = [
        migrations.AlterField(
            model_name="activitydefinition",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="activities",
                to="playbooks.playbookversion",
            ),
        ),
    ]
