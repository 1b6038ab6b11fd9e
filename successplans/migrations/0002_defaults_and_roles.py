"""Default business challenge categories, and the role groups' success plan permissions."""

from django.db import migrations

from core.roles import sync_role_groups

CATEGORIES = [
    "Adoption",
    "Onboarding and implementation",
    "Integration",
    "Data quality",
    "Executive alignment",
    "Budget and renewal",
    "Staffing and skills",
]


def forwards(apps, schema_editor):
    ChallengeCategory = apps.get_model("successplans", "ChallengeCategory")
    for order, name in enumerate(CATEGORIES, start=1):
        ChallengeCategory.objects.get_or_create(name=name, defaults={"order": order})
    sync_role_groups(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("successplans", "0001_initial"),
        ("successhub", "0002_role_groups_success_cases"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
