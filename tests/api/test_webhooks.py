"""Webhooks against a real receiver on 127.0.0.1 (``http.server`` in a thread): signed
JSON, retried with backoff until delivered once, nothing for a change that rolls back,
the endpoint disabled (admins mailed) after a day of failures, redelivery from the admin."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api import webhooks
from api.models import WebhookAttempt
from api.models import WebhookDelivery
from api.models import WebhookEndpoint
from playbooks import services as case_services
from successplans import services as plan_services
from successplans.models import ObjectiveKPI
from tests.factories import EngagementFactory


class Receiver:
    """Answers each POST with the next status of ``statuses`` (the last one repeats)."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.requests.append((headers, body))
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver broken")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What the README tells a receiver to do."""
    parts = dict(item.split("=", 1) for item in headers["x-successhub-signature"].split(","))
    expected = hmac.new(
        secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def endpoint_for(url: str, *events: str) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(url=url, event_types=list(events or webhooks.EVENTS))


@pytest.fixture
def agent_case(agent):
    engagement = EngagementFactory(name="Warehouse module adoption")
    return case_services.success_case_create(engagement=engagement, user=agent).case


def test_a_closed_case_is_posted_signed_with_the_case_as_the_api_returns_it(
    agent, agent_case, django_capture_on_commit_callbacks
):
    with Receiver([200]) as receiver:
        endpoint = endpoint_for(receiver.url, "case.canceled")
        with django_capture_on_commit_callbacks(execute=True):
            case_services.success_case_cancel(
                case_pk=agent_case.pk, user=agent, reason="The customer left."
            )

    ((headers, body),) = receiver.requests
    assert verify(endpoint.secret, headers, body)
    assert not verify("another secret", headers, body)
    event = json.loads(body)
    assert event["type"] == "case.canceled"
    assert event["object"]["number"] == agent_case.number
    assert event["object"]["state"] == "Canceled"
    assert event["object"]["cancel_reason"] == "The customer left."
    assert event["data"] == {"actor_id": agent.pk, "case_id": agent_case.pk}
    assert headers["x-successhub-delivery"] == event["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, str(delivery.event_id)) == (
        "delivered",
        1,
        event["id"],
    )


def test_a_receiver_failing_twice_gets_the_event_exactly_once_more(
    agent, agent_case, django_capture_on_commit_callbacks
):
    """500, 500, then 200: the retries are due after 1 and 2 minutes; the third attempt
    delivers it, and later runs of the retry command send nothing more."""
    with Receiver([500, 500, 200]) as receiver:
        endpoint_for(receiver.url, "case.canceled")
        with django_capture_on_commit_callbacks(execute=True):
            case_services.success_case_cancel(case_pk=agent_case.pk, user=agent, reason="Gone.")
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        first_retry = delivery.next_attempt_at - WebhookAttempt.objects.get().at
        assert first_retry == timedelta(minutes=1)

        call_command("send_webhooks")  # not due yet: nothing is sent
        assert len(receiver.requests) == 1
        for _ in range(4):  # the worker (or cron) comes back later, again and again
            WebhookDelivery.objects.update(next_attempt_at=timezone.now())
            with django_capture_on_commit_callbacks(execute=True):
                call_command("send_webhooks")

    assert [json.loads(body)["id"] for _, body in receiver.requests] == [str(delivery.event_id)] * 3
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    statuses = list(WebhookAttempt.objects.values_list("status_code", flat=True))
    assert statuses == [500, 500, 200]
    assert WebhookAttempt.objects.first().response_excerpt == "receiver broken"


def test_the_backoff_doubles_up_to_six_hours(db):
    delays = [webhooks.retry_delay(n) for n in range(1, 12)]
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(delays) == timedelta(hours=6)


def test_a_change_that_rolls_back_sends_nothing(
    agent, agent_case, django_capture_on_commit_callbacks
):
    with Receiver([200]) as receiver:
        endpoint_for(receiver.url)
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            case_services.success_case_cancel(case_pk=agent_case.pk, user=agent, reason="x")
            raise RuntimeError("something after the change failed")
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()
    agent_case.refresh_from_db()
    assert agent_case.is_open


def test_only_subscribed_enabled_endpoints_get_an_event(
    agent, agent_case, django_capture_on_commit_callbacks
):
    with Receiver([200]) as receiver:
        endpoint_for(receiver.url, "plan.created")
        disabled = endpoint_for(receiver.url, "case.canceled")
        WebhookEndpoint.objects.filter(pk=disabled.pk).update(disabled_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            case_services.success_case_cancel(case_pk=agent_case.pk, user=agent, reason="x")
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_kpi_fed_through_the_api_sends_its_new_value(csm, django_capture_on_commit_callbacks):
    from tests.successplans.factories import ObjectiveKPIFactory

    kpi = ObjectiveKPIFactory()
    with Receiver([200]) as receiver:
        endpoint_for(receiver.url, "kpi.value_changed")
        with django_capture_on_commit_callbacks(execute=True):
            plan_services.kpi_update(kpi=kpi, data={"current": 72}, user=csm)
    ((_, body),) = receiver.requests
    event = json.loads(body)
    assert event["object"]["id"] == kpi.pk
    assert event["object"]["current_value"] == 72
    assert ObjectiveKPI.objects.get(pk=kpi.pk).current == 72


def test_a_day_of_failures_disables_the_endpoint_and_mails_the_admins(
    agent, agent_case, django_capture_on_commit_callbacks
):
    get_user_model().objects.create_superuser("t-root", "root@example.com", "pw")
    with Receiver([503]) as receiver:
        endpoint = endpoint_for(receiver.url, "case.canceled")
        with django_capture_on_commit_callbacks(execute=True):
            case_services.success_case_cancel(case_pk=agent_case.pk, user=agent, reason="x")
        # a day later: the next retry would fall after the 24 hours
        WebhookDelivery.objects.update(retry_until=timezone.now(), next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_webhooks")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None
    assert "failed for 24 hours" in endpoint.disabled_reason
    (message,) = mail.outbox
    assert message.to == ["root@example.com"] and receiver.url in message.body


def test_an_admin_redelivers_a_failed_delivery(
    agent, agent_case, django_capture_on_commit_callbacks
):
    admin = get_user_model().objects.create_superuser("t-root", "root@example.com", "pw")
    client = Client()
    client.force_login(admin)
    with Receiver([500, 200]) as receiver:
        endpoint_for(receiver.url, "case.canceled")
        with django_capture_on_commit_callbacks(execute=True):
            case_services.success_case_cancel(case_pk=agent_case.pk, user=agent, reason="x")
        delivery = WebhookDelivery.objects.get()
        WebhookDelivery.objects.update(status="failed")
        page = client.get(reverse("admin:api_webhookdelivery_change", args=[delivery.pk]))
        assert b"receiver broken" in page.content  # the attempt, with its answer

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("admin:api_webhookdelivery_changelist"),
                {"action": "redeliver", "_selected_action": [delivery.pk]},
            )

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 2


def test_an_admin_registers_an_endpoint_with_its_events(db):
    admin = get_user_model().objects.create_superuser("t-root", "root@example.com", "pw")
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:api_webhookendpoint_add"),
        {
            "url": "https://hooks.example.com/successhub",
            "description": "CRM",
            "event_types": ["case.closed", "kpi.value_changed"],
            "secret": "s3cret",
        },
    )
    assert response.status_code == 302, response.content[:500]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == ["case.closed", "kpi.value_changed"]
    refused = client.post(
        reverse("admin:api_webhookendpoint_add"),
        {"url": "not a url", "event_types": ["case.exploded"], "secret": "x"},
    )
    assert refused.status_code == 200
    assert WebhookEndpoint.objects.count() == 1


def test_the_demo_endpoint_is_seeded_once_and_sends_nothing(db):
    call_command("seed_demo_api")
    call_command("seed_demo_api")
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.is_enabled
    assert webhooks.subscribed("case.closed") == []
