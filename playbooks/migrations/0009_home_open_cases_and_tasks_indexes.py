# The home page's open cases in their order, and a user's open tasks (selectors.my_open_cases,
# selectors.my_open_tasks).

from django.db import migrations
from django.db import models


class Migration(migrations.Migration):
    dependencies = [
        ("playbooks", "0008_dates_in_range_and_text_lengths"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="casetask",
            index=models.Index(
                condition=models.Q(("state__in", ("new", "in_progress", "paused"))),
                fields=["assigned_to", "due_date", "number"],
                name="task_open_assignee",
            ),
        ),
        migrations.AddIndex(
            model_name="successcase",
            index=models.Index(
                condition=models.Q(("phase__in", ("initiate", "assist", "review_close"))),
                fields=["planned_end", "-opened_at", "-id", "assigned_to", "phase"],
                name="case_open_planned",
            ),
        ),
    ]
