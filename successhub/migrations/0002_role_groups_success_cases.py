"""Give the role groups their success case permissions (core.roles)."""

from django.db import migrations

from core.roles import sync_role_groups


class Migration(migrations.Migration):
    dependencies = [
        ("successhub", "0001_role_groups"),
        ("playbooks", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
