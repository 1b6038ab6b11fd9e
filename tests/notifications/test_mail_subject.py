"""A notification's text becomes the mail's subject: a line break in it (a task's or a
case's short description can hold one) is a space there, not a refused header."""

from __future__ import annotations

from django.core import mail

from notifications import tasks
from notifications.models import Notification


def test_a_line_break_in_the_text_is_a_space_in_the_subject(agent):
    agent.email = "agent@example.com"
    agent.save(update_fields=["email"])
    notification = Notification.objects.create(
        user=agent,
        event="task_due",
        text="Send the agenda\r\nto the customer\tbefore Friday",
        mail=Notification.Mail.PENDING,
    )

    assert tasks.send_notification_mail.call(notification.pk) == "sent"

    assert [m.subject for m in mail.outbox] == [
        "SuccessHub: Send the agenda to the customer before Friday"
    ]
    notification.refresh_from_db()
    assert notification.mail == Notification.Mail.SENT
