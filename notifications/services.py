"""Every write of the notifications app: notify, mark read, preferences and the calendar feed.

``notify`` runs inside the transaction of the change that caused it (a listener of
``core.events`` or ``send_reminders``): the in-app row is rolled back with the change, and
mail is only scheduled once the change is committed (``transaction.on_commit``), so a
rolled-back change notifies nobody and no mail is sent from the request.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError

from .models import DEFAULT_DELIVERY
from .models import CalendarFeed
from .models import Delivery
from .models import Kind
from .models import Notification
from .models import NotificationPreference


def delivery_for(*, user_id: int, kind: str) -> str:
    """How ``user_id`` wants ``kind`` mailed: their preference, else the default."""
    saved = (
        NotificationPreference.objects.filter(user_id=user_id, event=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return saved or DEFAULT_DELIVERY[Kind(kind)]


_MAIL_STATE = {
    Delivery.IMMEDIATELY: Notification.Mail.PENDING,
    Delivery.DIGEST: Notification.Mail.DIGEST,
    Delivery.OFF: Notification.Mail.NONE,
}


def notify(*, user_id: int, kind: str, text: str, url: str = "") -> Notification:
    """Write ``user_id``'s in-app notification and schedule its mail as they prefer."""
    return notify_many(kind=kind, items=[(user_id, text, url)])[0]


def notify_many(*, kind: str, items: list[tuple[int, str, str]]) -> list[Notification]:
    """``notify`` for several users at once, (user id, text, url) each: one query for their
    preferences and one insert, whatever their number."""
    from .tasks import send_notification_mail

    saved = dict(
        NotificationPreference.objects.filter(
            user_id__in={user_id for user_id, _, _ in items}, event=kind
        ).values_list("user_id", "delivery")
    )
    default = DEFAULT_DELIVERY[Kind(kind)]
    notifications = Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            event=kind,
            text=text[:300],
            url=url,
            mail=_MAIL_STATE[saved.get(user_id, default)],
        )
        for user_id, text, url in items
    )
    for notification in notifications:
        if notification.mail == Notification.Mail.PENDING:
            transaction.on_commit(lambda pk=notification.pk: send_notification_mail.enqueue(pk))
    return notifications


def notification_mark_read(*, notification: Notification) -> None:
    """Mark one notification read (again is no change)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of ``user`` read; how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user, deliveries: dict[str, str]) -> None:
    """Save ``user``'s delivery per kind (every kind named; one row each)."""
    unknown = set(deliveries) - set(Kind.values)
    if unknown or not set(deliveries.values()) <= set(Delivery.values):
        raise DomainError("Choose how each notification is delivered.")
    existing = {
        p.event: p for p in NotificationPreference.objects.filter(user=user).select_for_update()
    }
    new, changed = [], []
    for kind, delivery in deliveries.items():
        row = existing.get(kind)
        if row is None:
            new.append(NotificationPreference(user=user, event=kind, delivery=delivery))
        elif row.delivery != delivery:
            row.delivery = delivery
            changed.append(row)
    NotificationPreference.objects.bulk_create(new, ignore_conflicts=True)
    NotificationPreference.objects.bulk_update(changed, ["delivery"])


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """A new secret calendar URL for ``user``; the previous one stops working."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


def calendar_feed_revoke(*, user) -> bool:
    """Stop ``user``'s calendar URL; True when there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
