"""Demo data of the Account 360: account facts and contacts, manual measures, an override and
90 days of health snapshots, so every colour shows and the trend charts say something.

Idempotent like the rest of ``seed_demo``: facts are set again, contacts matched by name,
manual values and overrides added only when the account has none, and snapshots only for
the days that have none.
"""

from __future__ import annotations

import math
from datetime import date
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from engagements.models import Account
from engagements.models import Contact
from engagements.models import Resource

from .models import ManualValue
from .models import Measure
from .models import Override
from .models import Snapshot
from .scoring import Board
from .scoring import scored
from .services import snapshot_health

# account: ARR, currency, renewal (days from today), lifecycle stage, Sentiment, its note,
# the score 90 days ago (the trend's start)
FACTS = {
    "Northwind Traders": (
        "480000",
        "USD",
        210,
        "adoption",
        "green",
        "Sponsor praised the rollout.",
        80,
    ),
    "Contoso Health": (
        "350000",
        "USD",
        30,
        "renew",
        "amber",
        "IT is slow to open the integration.",
        88,
    ),
    "Fabrikam Manufacturing": (
        "220000",
        "EUR",
        150,
        "onboarding",
        "green",
        "Plant managers engaged.",
        70,
    ),
    "Adventure Works Cycles": (
        "95000",
        "USD",
        75,
        "adoption",
        "amber",
        "Usage dipped after the reorg.",
        75,
    ),
    "Tailspin Toys": ("40000", "GBP", 20, "renew", "red", "Champion left the company.", 72),
    "Wide World Importers": (
        "130000",
        "USD",
        300,
        "expand",
        "green",
        "Asked about the second region.",
        90,
    ),
    "Litware Financial": (
        "610000",
        "USD",
        120,
        "expand",
        "green",
        "Steering committee is positive.",
        85,
    ),
    "Proseware Education": (
        "30000",
        "USD",
        -10,
        "renew",
        "red",
        "Renewal stalled; no reply in weeks.",
        65,
    ),
}

# account: (name, title, email, role, primary)
CONTACTS = {
    name: [
        (
            f"{first} {name.split()[0]}",
            title,
            f"{first.lower()}@{name.split()[0].lower()}.example",
            role,
            primary,
        )
        for first, title, role, primary in [
            ("Jordan", "VP Operations", Contact.Role.SPONSOR, True),
            ("Riley", "Product lead", Contact.Role.CHAMPION, False),
        ]
    ]
    for name in FACTS
}

# An override the demo shows: the CSM knows more than the measures.
OVERRIDES = {"Proseware Education": (25, "Budget frozen for next year; churn likely.", 30)}


def seed_health(users: dict, today: date | None = None) -> None:
    today = today or timezone.localdate()
    accounts = {a.name: a for a in Account.objects.filter(name__in=FACTS)}
    csm = Resource.objects.filter(user__username="csm").first()
    sentiment = Measure.objects.filter(name="Sentiment").first()
    for name, account in accounts.items():
        arr, currency, renewal, stage, feeling, note, _start = FACTS[name]
        Account.objects.filter(pk=account.pk).update(
            arr=Decimal(arr),
            currency=currency,
            renewal_date=today + timedelta(days=renewal),
            lifecycle_stage=stage,
            csm=csm,
            # Customers for a while: the inactivity measure counts from here.
            created_at=timezone.now() - timedelta(days=400),
        )
        for contact_name, title, email, role, primary in CONTACTS[name]:
            Contact.objects.update_or_create(
                account=account,
                name=contact_name,
                defaults={"title": title, "email": email, "role": role, "is_primary": primary},
            )
        if sentiment and not account.manual_health.exists():
            ManualValue.objects.create(
                account=account, measure=sentiment, value=feeling, note=note, set_by=users["csm"]
            )
        if name in OVERRIDES and not account.health_overrides.exists():
            score, reason, days = OVERRIDES[name]
            Override.objects.create(
                account=account,
                score=score,
                reason=reason,
                expires_on=today + timedelta(days=days),
                set_by=users["csm"],
            )
    _history(accounts, today)
    snapshot_health(day=today)


def _history(accounts: dict[str, Account], today: date) -> None:
    """89 days before today: from the start score to today's, with a gentle weekly wave."""
    board = Board.load()
    now = {
        row.pk: row.health_score
        for row in scored(Account.objects.filter(pk__in=[a.pk for a in accounts.values()]), board)
    }
    have = set(
        Snapshot.objects.filter(account__in=accounts.values()).values_list("account_id", "day")
    )
    rows, days = [], 89
    for name, account in accounts.items():
        start, end = FACTS[name][-1], now[account.pk]
        previous = None
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            share = (days - back) / days
            wave = 3 * math.sin(back / 7 * math.pi)
            score = max(0, min(100, round(start + (end - start) * share + wave)))
            if (account.pk, day) not in have:
                rows.append(
                    Snapshot(
                        account=account,
                        day=day,
                        score=score,
                        computed=score,
                        colour=board.settings.colour_of(score),
                        change=None if previous is None else score - previous,
                    )
                )
            previous = score
    Snapshot.objects.bulk_create(rows, ignore_conflicts=True)
