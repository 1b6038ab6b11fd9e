"""Demo notifications (``seed_demo``): every demo user finds a few under the bell.

Besides what the seeded cases and plans already caused (their services emit the events, so
the listeners wrote those), each demo user gets the notifications below, pointing at their
own records, the oldest already read. Written directly (demo facts: no mail is sent for
them); recognised by their text, so a second run adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from playbooks.models import SuccessCase
from successplans.models import SuccessPlan

from .models import Kind
from .models import Notification


def _case_link(user) -> tuple[str, str]:
    case = (
        SuccessCase.objects.filter(assigned_to=user).order_by("-opened_at").first()
        or SuccessCase.objects.order_by("-opened_at").first()
    )
    if case is None:
        return "", ""
    return case.number, reverse("playbooks:case-detail", args=[case.number])


def _plan_link(user) -> tuple[str, str]:
    plan = (
        SuccessPlan.objects.filter(is_template=False, owner__user=user).order_by("pk").first()
        or SuccessPlan.objects.filter(is_template=False).order_by("pk").first()
    )
    if plan is None:
        return "", ""
    return plan.name, reverse("successplans:plan-detail", args=[plan.pk])


def _demo_for(username: str, user) -> list[tuple[str, str, str]]:
    """(kind, text, url), newest first."""
    number, case_url = _case_link(user)
    plan, plan_url = _plan_link(user)
    if username in ("agent", "agent2"):
        return [
            (Kind.TASK_DUE, f"A task of {number} is due tomorrow: confirm the agenda", case_url),
            (Kind.SQUAD_ADDED, f"You were added to the squad of {number}", case_url),
            (Kind.CASE_ASSIGNED, f"The success case {number} was assigned to you", case_url),
        ]
    if username == "csm":
        return [
            (Kind.KPI_ALERT, f"A KPI of {plan} turned Overdue", plan_url),
            (Kind.TASK_ASSIGNED, f"You were assigned a playbook task of {plan}", plan_url),
            (Kind.TASK_OVERDUE, f"A playbook task of {plan} is overdue", plan_url),
        ]
    if username == "manager":
        review = reverse("playbooks:review")
        return [
            (Kind.REVIEW_WAITING, "Closed success cases await your review", review),
            (Kind.REVIEW_WAITING, "A canceled success case awaits your review", review),
        ]
    if username == "participant":
        return [
            (Kind.SQUAD_ADDED, f"You were added to the squad of {number}", case_url),
            (Kind.TASK_ASSIGNED, f"You were assigned a playbook task of {plan}", plan_url),
        ]
    return []


#: The demo users of ``seed_demo`` (successhub's command calls ours by name: the two apps are
#: siblings on the top layer and may not import each other).
DEMO_USERNAMES = ["agent", "agent2", "csm", "participant", "manager"]


def seed_notifications(users: dict) -> None:
    now = timezone.now()
    for username, user in users.items():
        items = _demo_for(username, user)
        for age, (kind, text, url) in enumerate(items):
            created = now - timedelta(hours=3 * age + 1)
            Notification.objects.get_or_create(
                user=user,
                text=text,
                defaults={
                    "event": kind,
                    "url": url,
                    "created": created,
                    # the oldest one is already read: the list shows both looks
                    "read_at": created if age == len(items) - 1 and age else None,
                },
            )
