"""Several playbooks, with versions.

The one playbook so far becomes the default definition "Success case playbook", version 1,
holding every existing activity definition; every existing case followed it. Two UPDATEs,
whatever the number of cases (110,000 in the benchmark database). ``version`` becomes
required in 0014: PostgreSQL refuses to alter a table in the transaction that just
updated its rows under deferred foreign-key checks.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations
from django.db import models


def forwards(apps, schema_editor):
    from playbooks.defaults import DEFAULT_PLAYBOOK_DESCRIPTION
    from playbooks.defaults import DEFAULT_PLAYBOOK_NAME

    PlaybookDefinition = apps.get_model("playbooks", "PlaybookDefinition")
    PlaybookVersion = apps.get_model("playbooks", "PlaybookVersion")
    ActivityDefinition = apps.get_model("playbooks", "ActivityDefinition")
    SuccessCase = apps.get_model("playbooks", "SuccessCase")
    definition = PlaybookDefinition.objects.create(
        name=DEFAULT_PLAYBOOK_NAME, description=DEFAULT_PLAYBOOK_DESCRIPTION, is_default=True
    )
    version = PlaybookVersion.objects.create(definition=definition, number=1)
    ActivityDefinition.objects.filter(version=None).update(version=version)
    SuccessCase.objects.filter(playbook_version=None).update(playbook_version=version)


class Migration(migrations.Migration):
    dependencies = [
        ("playbooks", "0012_journal_entry_activity"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlaybookDefinition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, unique=True)),
                ("description", models.TextField(blank=True, max_length=5000)),
                (
                    "is_default",
                    models.BooleanField(
                        default=False,
                        help_text="Preselected at New. Exactly one playbook is.",
                        verbose_name="default",
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="PlaybookVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["definition__name", "-number"],
            },
        ),
        migrations.AlterModelOptions(
            name="activitydefinition",
            options={"ordering": ["version", "phase", "order"]},
        ),
        migrations.RemoveConstraint(
            model_name="activitydefinition",
            name="activity_definition_order",
        ),
        migrations.AddConstraint(
            model_name="playbookdefinition",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_default", True)),
                fields=("is_default",),
                name="one_default_playbook",
            ),
        ),
        migrations.AddField(
            model_name="playbookversion",
            name="definition",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="versions",
                to="playbooks.playbookdefinition",
            ),
        ),
        migrations.AddField(
            model_name="activitydefinition",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="activities",
                to="playbooks.playbookversion",
            ),
        ),
        migrations.AddField(
            model_name="successcase",
            name="playbook_version",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="playbooks.playbookversion",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="activitydefinition",
            constraint=models.UniqueConstraint(
                fields=("version", "phase", "order"), name="activity_definition_version_order"
            ),
        ),
        migrations.AddConstraint(
            model_name="playbookversion",
            constraint=models.UniqueConstraint(
                fields=("definition", "number"), name="playbook_version_number"
            ),
        ),
    ]
