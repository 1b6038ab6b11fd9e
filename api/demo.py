"""Demo data of the API app: a registered webhook endpoint to look at in the admin.

It points at a local receiver (``python -m http.server 9999`` answers 501 to a POST, which
shows the retries) and is disabled, so a fresh demo sends nothing until an admin enables
it. No token is created: see the README's API section.
"""

from __future__ import annotations

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
