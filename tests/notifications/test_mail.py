"""Mail runs as a django-tasks task after the commit; a failed send is retried, then given up,
and the in-app notification stays whatever happens to the mail."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from notifications import tasks
from notifications.models import Notification

from .conftest import assign_task


@pytest.fixture
def flaky_smtp(monkeypatch):
    """The mail server refuses the first ``failures["left"]`` messages."""
    failures = {"left": 1, "tries": 0}
    send = EmailMultiAlternatives.send

    def refuse_then_send(self, *args, **kwargs):
        failures["tries"] += 1
        if failures["left"] > 0:
            failures["left"] -= 1
            raise ConnectionRefusedError("SMTP server unavailable")
        return send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_then_send)
    return failures


def test_a_failed_send_is_retried_and_logged(
    agent, other_agent, case, committed, flaky_smtp, caplog
):
    with caplog.at_level(logging.ERROR, logger="notifications.tasks"), committed():
        assign_task(case, by=agent, to=other_agent)

    assert flaky_smtp["tries"] == 2
    assert len(mail.outbox) == 1
    assert Notification.objects.get(user=other_agent).mail == Notification.Mail.SENT
    assert "failed (attempt 1 of 5)" in caplog.text


def test_a_send_that_keeps_failing_gives_up_and_keeps_the_notification(
    agent, other_agent, case, committed, flaky_smtp
):
    flaky_smtp["left"] = 100
    with committed():
        assign_task(case, by=agent, to=other_agent)

    assert flaky_smtp["tries"] == tasks.MAX_ATTEMPTS
    assert mail.outbox == []
    notification = Notification.objects.get(user=other_agent)
    assert notification.mail == Notification.Mail.FAILED
    assert notification.read_at is None  # still under the bell


def test_a_retry_waits_longer_each_time_on_a_queue_that_defers(monkeypatch):
    """On the database backend a retry is enqueued with run_after: 1, 2, 4... minutes."""
    enqueued = []

    class Deferring:
        supports_defer = True

    class FakeTask:
        def get_backend(self):
            return Deferring()

        def using(self, *, run_after):
            enqueued.append(run_after)
            return self

        def enqueue(self, *args, attempt):
            enqueued.append(attempt)

    from django.utils import timezone

    before = timezone.now()
    assert tasks._again(FakeTask(), 3, 42) is True
    run_after, attempt = enqueued
    assert attempt == 4
    assert (run_after - before).total_seconds() == pytest.approx(4 * 60, abs=5)
    assert tasks._again(FakeTask(), tasks.MAX_ATTEMPTS, 42) is False


def test_mail_for_a_pruned_notification_is_skipped(db):
    assert tasks.send_notification_mail.call(123456) == "gone"
