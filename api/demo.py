"""Demo data of the API app: a registered webhook endpoint to look at in the admin, and CRM
ids on the demo's accounts, so that an import from the CRM (matched on ``external_id``)
updates them rather than failing on their names (``crm-0001``, in the order of their names).

It points at a local receiver (``python -m http.server 9999`` answers 501 to a POST, which
shows the retries) and is disabled, so a fresh demo sends nothing until an admin enables
it. No token is created: see the README's API section.
"""

from __future__ import annotations

from engagements.models import Account

from . import webhooks
from .models import WebhookEndpoint

DEMO_URL = "http://127.0.0.1:9999/successhub-webhooks"


def seed_api() -> None:
    """Idempotent: the endpoint is created once, then left as the admin changed it."""
    WebhookEndpoint.objects.get_or_create(
        url=DEMO_URL,
        defaults={
            "description": "Demo receiver (enable it in the admin to try deliveries)",
            "event_types": list(webhooks.EVENTS),
            "disabled_reason": "Demo: enable it once a receiver listens on port 9999.",
            "disabled_at": "2026-01-01T00:00:00Z",
        },
    )

    # The accounts a CRM import would name: each demo account without one gets its CRM id.
    missing = list(Account.objects.filter(external_id=None).order_by("name", "pk"))
    taken = set(Account.objects.exclude(external_id=None).values_list("external_id", flat=True))
    number = 0
    for account in missing:
        number += 1
        while f"crm-{number:04d}" in taken:
            number += 1
        account.external_id = f"crm-{number:04d}"
    Account.objects.bulk_update(missing, ["external_id"])
