"""Mail, sent by the django-tasks worker (``manage.py db_worker``), never in the request.

django-tasks retries nothing by itself: a failed send is logged and enqueued again with
``run_after`` (1, 2, 4, 8 minutes), ``MAX_ATTEMPTS`` times in all; then the row is marked
Failed. The in-app notification was committed before the task ran, so mail failing never
loses it. (A backend without deferred runs, the immediate one the tests use, tries again
at once.)
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from .models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_DELAY = timedelta(minutes=1)


def absolute(url: str) -> str:
    """A link that works from a mailbox or a calendar: ``SITE_URL`` + the path."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _send(*, to: str, subject: str, template: str, context: dict) -> None:
    context = {"site_url": settings.SITE_URL, **context}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    # A header holds one line: a line break (or a tab) in a user's text would make Django
    # refuse the whole mail (BadHeaderError), so the subject's whitespace becomes spaces.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def _again(the_task, attempt: int, *args) -> bool:
    """Enqueue ``the_task(*args)`` once more after a backoff; False when out of attempts."""
    if attempt >= MAX_ATTEMPTS:
        return False
    if the_task.get_backend().supports_defer:
        delay = FIRST_DELAY * 2 ** (attempt - 1)
        the_task = the_task.using(run_after=timezone.now() + delay)
    the_task.enqueue(*args, attempt=attempt + 1)
    return True


@task()
def send_notification_mail(notification_id: int, attempt: int = 1) -> str:
    """Mail one notification to its user (those whose preference is "immediately")."""
    notification = (
        Notification.objects.select_related("user")
        .filter(pk=notification_id, mail=Notification.Mail.PENDING)
        .first()
    )
    if notification is None:
        return "gone"  # pruned, or already sent by an earlier attempt
    user = notification.user
    if not user.email:
        Notification.objects.filter(pk=notification_id).update(mail=Notification.Mail.NONE)
        return "no address"
    try:
        _send(
            to=user.email,
            subject=f"SuccessHub: {notification.text}"[:150],
            template="notification",
            context={
                "user": user,
                "notification": notification,
                "link": absolute(notification.url),
            },
        )
    except Exception:
        logger.exception(
            "Mail of notification %s failed (attempt %s of %s)",
            notification_id,
            attempt,
            MAX_ATTEMPTS,
        )
        if not _again(send_notification_mail, attempt, notification_id):
            Notification.objects.filter(pk=notification_id).update(mail=Notification.Mail.FAILED)
            return "failed"
        return "retrying"
    Notification.objects.filter(pk=notification_id, mail=Notification.Mail.PENDING).update(
        mail=Notification.Mail.SENT, mailed_at=timezone.now()
    )
    return "sent"


@task()
def send_digest(user_id: int, attempt: int = 1) -> str:
    """Mail ``user_id`` the notifications waiting for their daily digest, in one message."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    waiting = list(
        Notification.objects.filter(user_id=user_id, mail=Notification.Mail.DIGEST).order_by(
            "created", "id"
        )
    )
    if user is None or not waiting:
        return "nothing"
    if not user.email:
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            mail=Notification.Mail.NONE
        )
        return "no address"
    items = [(n, absolute(n.url)) for n in waiting]
    try:
        _send(
            to=user.email,
            subject=f"SuccessHub: your daily digest ({len(waiting)})",
            template="digest",
            context={"user": user, "items": items},
        )
    except Exception:
        logger.exception(
            "Digest for user %s failed (attempt %s of %s)", user_id, attempt, MAX_ATTEMPTS
        )
        if not _again(send_digest, attempt, user_id):
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                mail=Notification.Mail.FAILED
            )
            return "failed"
        return "retrying"
    Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
        mail=Notification.Mail.SENT, mailed_at=timezone.now()
    )
    return "sent"
