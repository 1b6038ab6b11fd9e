# The generation the Review figures' cache keys on (playbooks.reports.cache); its one row is
# made on first use.

from django.db import migrations
from django.db import models


class Migration(migrations.Migration):
    dependencies = [
        ("playbooks", "0009_home_open_cases_and_tasks_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReviewGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "Review generation",
            },
        ),
    ]
