"""Webhooks: each domain event (``core.events``) that an endpoint subscribes to becomes a
signed JSON POST to it, delivered by a background task and retried for 24 hours.

* **Enqueued on commit only.** The listener runs inside the service's transaction: it
  writes a ``WebhookDelivery`` row (rolled back with the change) and schedules the task
  with ``transaction.on_commit``, so a change that rolls back sends nothing.
* **The body** is ``{"id", "type", "created_at", "data", "object"}``: the event id (the
  same for every endpoint; a receiver de-duplicates by it), its type, when it happened,
  the event's plain values (``previous``, ``value``...) and the object as the API's
  serializer returns it at that moment.
* **The signature**: header ``X-SuccessHub-Signature: t=<unix time>,v1=<hex>`` where
  ``<hex>`` is HMAC-SHA256 with the endpoint's secret of ``"<t>." + body``. The time is
  that of the attempt, so a receiver can refuse old replays.
* **Retries**: a failed attempt (no answer in 10 s, or not 2xx) is tried again after 1, 2,
  4, ... minutes (at most 6 hours apart) until 24 hours after the event; then the delivery
  is Failed, the endpoint disabled and the superusers mailed. Every attempt is a
  ``WebhookAttempt`` row, shown in the admin, where "Redeliver" sends a delivery again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from core.events import listens
from core.events import memo
from engagements.models import Account
from playbooks.models import CaseTask

from . import selectors
from . import serializers as s
from .models import WebhookAttempt
from .models import WebhookDelivery
from .models import WebhookEndpoint

logger = logging.getLogger(__name__)

#: The events an endpoint may subscribe to (issue 16), each with what its body's
#: ``object`` is.
EVENTS = {
    "case.created": "the success case",
    "case.phase_changed": "the success case",
    "case.closed": "the success case",
    "case.canceled": "the success case",
    "task.overdue": "the success case task (a plan task: its id)",
    "kpi.value_changed": "the objective KPI",
    "kpi.badge_changed": "the objective KPI",
    "plan.created": "the success plan",
    "plan.effective_date_changed": "the success plan",
    "health.changed": "the account",
}
SIGNATURE_HEADER = "X-SuccessHub-Signature"
TIMEOUT_SECONDS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
RETRY_FOR = timedelta(hours=24)
EXCERPT = 500


# -- building a delivery --------------------------------------------------------------------
def _object(event: str, data: dict) -> dict | None:
    """The event's object as the API returns it (None when it is gone)."""
    if event.startswith("case."):
        case = selectors.case_detail().filter(pk=data["case_id"]).first()
        return s.SuccessCaseDetailSerializer(case).data if case else None
    if event == "task.overdue":
        if data.get("kind") != "case_task":
            return {"id": data["task_id"], "kind": data.get("kind")}
        task = CaseTask.objects.select_related("assigned_to").filter(pk=data["task_id"]).first()
        return s.CaseTaskSerializer(task).data if task else None
    if event.startswith("kpi."):
        kpi = selectors.kpis().filter(pk=data["kpi_id"]).first()
        return s.ObjectiveKPISerializer(kpi).data if kpi else None
    if event.startswith("plan."):
        plan = selectors.plans().filter(pk=data["plan_id"]).first()
        return s.SuccessPlanSerializer(plan).data if plan else None
    if event == "health.changed":
        account = Account.objects.filter(pk=data["account_id"]).first()
        return s.AccountRefSerializer(account).data if account else None
    return None


def subscribed(event: str) -> list[WebhookEndpoint]:
    """The enabled endpoints that asked for ``event``: one query per request (the event
    scope's memo), however many events its write emits; endpoints are few, and a JSON
    ``contains`` lookup does not exist on SQLite."""
    enabled = memo(
        ("webhook-endpoints",), lambda: list(WebhookEndpoint.objects.filter(disabled_at=None))
    )
    return [e for e in enabled if event in e.event_types]


@listens(*EVENTS)
def on_event(event: str, /, *, actor_id: int | None, **data) -> None:
    """Inside the change's transaction: a delivery row per endpoint, sent once it commits."""
    endpoints = subscribed(event)
    if not endpoints:
        return
    now = timezone.now()
    body = {
        "id": str(uuid.uuid4()),
        "type": event,
        "created_at": now.isoformat(),
        "data": {"actor_id": actor_id, **data},
        "object": _object(event, data),
    }
    payload = json.loads(json.dumps(body, cls=JSONEncoder))
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=e,
            event_id=body["id"],
            event_type=event,
            payload=payload,
            next_attempt_at=now,
            retry_until=now + RETRY_FOR,
        )
        for e in endpoints
    )
    for delivery in deliveries:
        _enqueue_on_commit(delivery.pk)


def _enqueue_on_commit(delivery_pk: int, run_after: datetime | None = None) -> None:
    from .tasks import deliver_webhook

    def enqueue() -> None:
        task = deliver_webhook
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # ``send_webhooks`` sends it when it is due
            task = task.using(run_after=run_after)
        task.enqueue(delivery_pk)

    transaction.on_commit(enqueue)


# -- signing and sending --------------------------------------------------------------------
def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``v1``: HMAC-SHA256 of ``"<timestamp>." + body`` with the endpoint's secret, in hex."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """POST ``body``: (status, response excerpt, error)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(EXCERPT).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read(EXCERPT).decode("utf-8", "replace"), ""
    except (OSError, ValueError) as error:  # refused, timed out, bad URL, TLS
        return None, "", str(error)[:300] or type(error).__name__


def retry_delay(failed_attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after the ``failed_attempts``-th failure, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** (failed_attempts - 1), LONGEST_WAIT)


def attempt_delivery(*, delivery_pk: int) -> WebhookDelivery | None:
    """One attempt (the task's body): POST, log it, then delivered, retry later, or give up.

    Nothing happens for a delivery that is not pending (delivered meanwhile: a redelivery
    and its retry crossing) or whose endpoint is disabled.
    """
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_pk).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return delivery
    endpoint = delivery.endpoint
    if not endpoint.is_enabled:
        return delivery
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "SuccessHub-Webhooks/1",
        "X-SuccessHub-Event": delivery.event_type,
        "X-SuccessHub-Delivery": str(delivery.event_id),
        SIGNATURE_HEADER: f"t={timestamp},v1={signature(endpoint.secret, timestamp, body)}",
    }
    started = time.monotonic()
    status, excerpt, error = _post(endpoint.url, body, headers)
    duration = int((time.monotonic() - started) * 1000)
    return _record(delivery, status=status, excerpt=excerpt, error=error, duration=duration)


@transaction.atomic
def _record(delivery: WebhookDelivery, *, status, excerpt: str, error: str, duration: int):
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    now = timezone.now()
    attempt = WebhookAttempt.objects.create(
        delivery=delivery,
        at=now,
        status_code=status,
        response_excerpt=excerpt[:EXCERPT],
        error=error,
        duration_ms=duration,
    )
    delivery.attempts += 1
    if attempt.succeeded:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    else:
        retry_at = now + retry_delay(delivery.attempts)
        if retry_at <= delivery.retry_until:
            delivery.next_attempt_at = retry_at
            _enqueue_on_commit(delivery.pk, run_after=retry_at)
        else:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
            _disable(delivery.endpoint, delivery, attempt)
    delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return delivery


def _disable(endpoint: WebhookEndpoint, delivery: WebhookDelivery, attempt) -> None:
    """A delivery failed for 24 hours: stop sending to the endpoint and tell the admins."""
    if not endpoint.is_enabled:
        return
    reason = (
        f"{delivery.event_type} {delivery.event_id} failed for 24 hours "
        f"({delivery.attempts} attempts; last: {attempt.status_code or attempt.error})."
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        disabled_at=timezone.now(), disabled_reason=reason[:300]
    )
    admins = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if admins:
        text = (
            f"SuccessHub stopped sending webhooks to {endpoint.url}: {reason}\n\n"
            "Fix the receiver, then enable the endpoint again in the admin (API > Webhook "
            "endpoints) and redeliver the failed deliveries."
        )
        transaction.on_commit(
            lambda: send_mail("Webhook endpoint disabled", text, None, admins, fail_silently=True)
        )
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.url, reason)


# -- the admin's actions and the periodic command ---------------------------------------------
@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery) -> None:
    """Send a delivery again now (whatever it came to), with a new day of retries."""
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at=now,
        retry_until=now + RETRY_FOR,
        delivered_at=None,
    )
    _enqueue_on_commit(delivery.pk)


@transaction.atomic
def endpoint_enable(*, endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(disabled_at=None, disabled_reason="")


def due_deliveries(now: datetime | None = None) -> list[int]:
    """Pending deliveries whose next attempt is due (along ``webhook_delivery_due``)."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
