# Written by hand (makemigrations could not load the URLs while another app's change was
# half-way); `makemigrations --check` confirms it matches the model.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations
from django.db import models


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0003_account_health"),
        ("successplans", "0006_challenge_name_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanRecordChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "record",
                    models.CharField(
                        choices=[
                            ("objective", "Objective"),
                            ("playbook", "Playbook"),
                            ("task", "Playbook task"),
                        ],
                        max_length=20,
                    ),
                ),
                ("record_id", models.PositiveBigIntegerField()),
                ("name", models.CharField(max_length=255)),
                ("change", models.CharField(max_length=50)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="record_changes",
                        to="successplans.successplan",
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [models.Index(fields=["plan", "-at"], name="plan_record_change_latest")],
            },
        ),
    ]
