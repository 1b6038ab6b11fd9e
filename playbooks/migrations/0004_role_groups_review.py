"""Give the Success Manager group "review success case" (core.roles), now that it exists."""

from django.db import migrations

from core.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("successhub", "0002_role_groups_success_cases"),
        ("playbooks", "0003_successcase_review"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
