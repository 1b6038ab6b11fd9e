"""Demo data a newcomer can click through: one user per role, accounts, engagements,
success cases in every phase.

Idempotent: running it again updates the same rows (matched by username or
name) instead of adding copies; success cases are only added when there are
none. Every run sets the demo users' password: the one given with
``--password``, or a new random one that is printed.
"""

from __future__ import annotations

import secrets
from datetime import date
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from core import events
from core.roles import Role
from engagements.models import Account
from engagements.models import Engagement
from engagements.models import Resource
from health.demo import seed_health
from playbooks.demo import seed_case_contacts
from playbooks.demo import seed_cases
from successhub.demo_workspace import seed_workspace
from successplans.demo import seed_plans

# username, first name, last name, role (None: superuser), resource title
DEMO_USERS = [
    ("agent", "Alex", "Agent", Role.SUCCESS_AGENT, "Success Agent"),
    ("agent2", "Sam", "Rivera", Role.SUCCESS_AGENT, "Success Agent"),
    ("csm", "Casey", "Morgan", Role.CUSTOMER_SUCCESS, "Customer Success Manager"),
    ("participant", "Pat", "Lee", Role.PARTICIPANT, ""),
    ("manager", "Morgan", "Chen", Role.SUCCESS_MANAGER, "Head of Customer Success"),
    ("admin", "Ada", "Admin", None, ""),
]

# Resources who cannot sign in: a PSA consultant and a former colleague.
OTHER_RESOURCES = [
    ("priya.psa", "Priya", "Nair", "Implementation Consultant (PSA)", True, True),
    ("jordan.former", "Jordan", "Blake", "Customer Success Manager", False, False),
]

# name, industry, tier, owner username
ACCOUNTS = [
    ("Northwind Traders", "Wholesale distribution", Account.Tier.STRATEGIC, "csm"),
    ("Contoso Health", "Healthcare", Account.Tier.ENTERPRISE, "csm"),
    ("Fabrikam Manufacturing", "Industrial manufacturing", Account.Tier.ENTERPRISE, "agent"),
    ("Adventure Works Cycles", "Retail", Account.Tier.COMMERCIAL, "agent"),
    ("Tailspin Toys", "Consumer goods", Account.Tier.SMB, "agent2"),
    ("Wide World Importers", "Logistics", Account.Tier.COMMERCIAL, "agent2"),
    ("Litware Financial", "Financial services", Account.Tier.STRATEGIC, "csm"),
    ("Proseware Education", "Education", Account.Tier.SMB, "agent"),
]

# account, engagement name, stage, state, start (days from today), length in days, owner
ENGAGEMENTS = [
    ("Northwind Traders", "Platform onboarding", "onboarding", "in_progress", -40, 90, "agent"),
    ("Northwind Traders", "Warehouse module adoption", "adoption", "define", -5, 120, "agent2"),
    ("Contoso Health", "Clinical rollout adoption", "adoption", "in_progress", -60, 180, "agent"),
    ("Contoso Health", "FY27 renewal", "renew", "new", 10, 60, "csm"),
    (
        "Fabrikam Manufacturing",
        "Plant analytics onboarding",
        "onboarding",
        "in_progress",
        -20,
        90,
        "agent",
    ),
    ("Fabrikam Manufacturing", "Second site expansion", "expand", "new", 15, 120, "agent2"),
    (
        "Adventure Works Cycles",
        "E-commerce adoption",
        "adoption",
        "in_progress",
        -90,
        150,
        "agent2",
    ),
    ("Adventure Works Cycles", "2025 onboarding", "onboarding", "closed", -400, 90, "agent"),
    ("Tailspin Toys", "Starter onboarding", "onboarding", "define", -3, 60, "agent2"),
    ("Wide World Importers", "Renewal readiness", "renew", "in_progress", -30, 45, "csm"),
    ("Wide World Importers", "Customs automation pilot", "expand", "canceled", -200, 60, "agent"),
    ("Litware Financial", "Risk suite expansion", "expand", "in_progress", -10, 180, "csm"),
    ("Proseware Education", "Campus onboarding", "onboarding", "new", 5, 90, "agent"),
    ("Proseware Education", "Former pilot", "lost", "closed", -300, 30, "agent2"),
]


class Command(BaseCommand):
    help = (
        "Create or refresh demo users (one per role), accounts, engagements and resources; "
        "add demo success cases when there are none."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user (default: a new random one, printed).",
        )

    def handle(self, *args, password: str | None = None, **options):
        password = password or secrets.token_urlsafe(9)
        # One event scope for the whole seed, as a request has: the listeners' lookups are
        # made once, and each account's health is refreshed once per record after the
        # commit, not once per event (125 refreshes became 22).
        with events.scope(), transaction.atomic():
            self._seed(password)

    def _seed(self, password: str) -> None:
        users = self._users(password)
        self._resources()
        self._accounts_and_engagements(users)
        # Success cases are added once: a second run leaves them (and their history) alone.
        seed_cases(users, date.today())
        seed_plans(users, date.today())
        seed_workspace(users, date.today())  # every demo user's My Work has something in it
        seed_health(users)  # account facts, contacts, 90 days of health (issue 15)
        seed_case_contacts(users)  # a case's agent notes its contact's phone (issue 12)
        call_command("seed_demo_notifications")  # by name: notifications is a sibling (issue 14)
        call_command("seed_demo_api")  # a demo webhook endpoint; by name: api is a sibling
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("Sign in at http://127.0.0.1:8000/login/ with:")
        for username, _first, _last, role, _title in DEMO_USERS:
            label = str(role) if role else "superuser (Django admin at /admin/)"
            self.stdout.write(f"  {username:<12} {password}   {label}")

    def _users(self, password: str) -> dict:
        User = get_user_model()
        users = {}
        for username, first, last, role, title in DEMO_USERS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.com",
                    "is_active": True,
                    "is_staff": role is None,
                    "is_superuser": role is None,
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=role)] if role else [])
            if title:
                Resource.objects.update_or_create(
                    user=user, defaults={"title": title, "is_active": True, "is_psa": False}
                )
            users[username] = user
        return users

    def _resources(self) -> None:
        User = get_user_model()
        for username, first, last, title, active, psa in OTHER_RESOURCES:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_active": active},
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            Resource.objects.update_or_create(
                user=user, defaults={"title": title, "is_active": active, "is_psa": psa}
            )

    def _accounts_and_engagements(self, users: dict) -> None:
        accounts = {}
        for name, industry, tier, owner in ACCOUNTS:
            accounts[name], _ = Account.objects.update_or_create(
                name=name, defaults={"industry": industry, "tier": tier, "owner": users[owner]}
            )
        today = date.today()
        for account, name, stage, state, start, length, owner in ENGAGEMENTS:
            start_date = today + timedelta(days=start)
            Engagement.objects.update_or_create(
                account=accounts[account],
                name=name,
                defaults={
                    "stage": stage,
                    "state": state,
                    "start_date": start_date,
                    "end_date": start_date + timedelta(days=length),
                    "owner": users[owner],
                },
            )
