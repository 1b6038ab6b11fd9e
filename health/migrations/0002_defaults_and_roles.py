"""The default measures and thresholds (health.defaults), and the role groups' new
permissions for the Account 360 (core.roles)."""

from django.db import migrations

from core.roles import sync_role_groups
from health.defaults import load


def forwards(apps, schema_editor=None):
    load(apps, schema_editor)
    sync_role_groups(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0001_measures_snapshots"),
        ("engagements", "0004_account_facts_contacts"),
        ("playbooks", "0002_default_playbook"),
        ("successhub", "0002_role_groups_success_cases"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
