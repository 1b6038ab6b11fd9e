"""The measures, thresholds and unsuccessful closure codes a new installation starts with.

The data migration loads them (and the test suite reloads them after a flush); admins change
them in the Django admin afterwards. The weights add up to 100.
"""

# name, rule, weight, target (None: the rule's default)
MEASURES = [
    ("KPIs at risk", "kpis_at_risk", 25, None),
    ("Overdue tasks", "overdue_tasks", 15, 5),
    ("Oldest open success case", "oldest_case", 10, 30),
    ("Days since last activity", "inactivity", 15, 14),
    ("Unsuccessful closures", "unsuccessful_closures", 10, None),
    ("Renewal with Blocked KPIs", "renewal_blocked", 10, 90),
    ("Sentiment", "manual", 15, None),
]
GREEN_FROM, AMBER_FROM = 70, 40
UNSUCCESSFUL_CODES = ["Outcome not achieved", "Customer no longer engaged"]


def load(apps, schema_editor=None) -> None:
    """Create what is missing (matched by name); never changes what an admin edited."""
    Measure = apps.get_model("health", "Measure")
    HealthSettings = apps.get_model("health", "HealthSettings")
    ClosureCode = apps.get_model("playbooks", "ClosureCode")
    for order, (name, rule, weight, target) in enumerate(MEASURES):
        Measure.objects.get_or_create(
            name=name, defaults={"rule": rule, "weight": weight, "target": target, "order": order}
        )
    if not HealthSettings.objects.exists():
        row = HealthSettings.objects.create(green_from=GREEN_FROM, amber_from=AMBER_FROM)
        row.unsuccessful_codes.set(ClosureCode.objects.filter(name__in=UNSUCCESSFUL_CODES))
