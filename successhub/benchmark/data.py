"""The benchmark's data: "small" is ``seed_demo``; "large" adds a bulk-inserted set on top.

The large set is inserted with ``bulk_create`` in batches (one transaction per
batch), from the app's models and its own reference data (the playbook's
``ActivityDefinition`` rows, the closure codes, the challenge categories), so
the rows look like the ones the services write. It is added on top of the demo
data, so the demo users, cases and plans the pages are measured with stay the
same objects in both sizes.

A marker account (``Benchmark set: ...``) is created last: when it names the
wanted size the set is reused as it is; any other benchmark rows (another size,
or a build that was interrupted) stop the command rather than mixing sets.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from engagements.models import Account
from engagements.models import Engagement
from engagements.models import Resource
from health.services import snapshot_health

from . import cases
from . import plans

ACCOUNT_PREFIX = "Benchmark account "
MARKER_PREFIX = "Benchmark set: "
AGENT_PREFIX = "bench.agent"
#: The demo users the pages are measured as (seed_demo's usernames).
DEMO_AGENT, DEMO_CSM, DEMO_MANAGER = "agent", "csm", "manager"
#: The demo agents take a share of the bulk cases too, so "their" pages grow with the set.
DEMO_ASSIGNEES = ("agent", "agent2")


@dataclass(frozen=True)
class Size:
    """How big the large set is. ``scaled`` derives what is not given from ``cases``.

    The defaults follow the production-like set of issue 11: ~110,000 cases
    of which ~10,000 open, ~1,000 accounts, ~2,000 engagements, ~5,000 plans
    with ~35,000 tasks (seven a plan), ~850,000 journal entries (about eight
    a case, written by ``cases``).
    """

    cases: int
    open_cases: int
    accounts: int
    engagements: int
    plans: int
    agents: int = 8

    @classmethod
    def scaled(
        cls,
        cases: int = 110_000,
        *,
        open_cases: int | None = None,
        accounts: int | None = None,
        engagements: int | None = None,
        plans: int | None = None,
    ) -> Size:
        accounts = accounts if accounts is not None else max(2, cases // 110)
        return cls(
            cases=cases,
            open_cases=open_cases if open_cases is not None else cases // 11,
            accounts=accounts,
            engagements=engagements if engagements is not None else 2 * accounts,
            plans=plans if plans is not None else max(2, cases // 22),
        )

    def __post_init__(self):
        if min(self.cases, self.accounts, self.engagements, self.plans) < 1 or not (
            0 <= self.open_cases <= self.cases
        ):
            raise CommandError("Every size must be positive, and --open at most --cases.")

    @property
    def marker(self) -> str:
        return (
            f"{MARKER_PREFIX}{self.cases} cases, {self.open_cases} open, {self.accounts} "
            f"accounts, {self.engagements} engagements, {self.plans} plans"
        )


class Progress:
    """One line on stderr, rewritten in place: ``cases 15,000 of 110,000 (14%), 12 s``."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None):
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()

    def add(self, count: int) -> None:
        self.done += count
        elapsed = time.perf_counter() - self.started
        share = self.done / self.total if self.total else 1
        end = "\n" if self.done >= self.total else ""
        line = (
            f"\r  {self.label} {self.done:,} of {self.total:,} ({share:.0%}), {elapsed:.0f} s{end}"
        )
        if isinstance(self.stream, OutputWrapper):  # a command's stderr: no ending of its own
            self.stream.write(line, ending="")
        else:
            self.stream.write(line)
        self.stream.flush()


def ensure_small(password: str = "benchmark") -> None:
    """The demo data (``seed_demo``), unless its users exist already."""
    if not get_user_model().objects.filter(username=DEMO_AGENT).exists():
        call_command("seed_demo", password=password, stdout=_Null())


def ensure_scored() -> bool:
    """Run the daily health snapshot when an account has no stored score yet, as production's
    scheduler would have (the accounts list reads stored scores; an unscored account is scored
    live, which is the exception, not what a list of a running install costs). True if run."""
    if not Account.objects.filter(health__isnull=True).exists():
        return False
    snapshot_health()
    return True


def has_large() -> bool:
    return Account.objects.filter(name__startswith=MARKER_PREFIX).exists()


def ensure_large(size: Size, *, seed: int = 1, batch: int = 5000, stream=None) -> bool:
    """Add the large set of ``size`` on top of the demo data; False when it was there already."""
    ensure_small()
    marker = Account.objects.filter(name__startswith=MARKER_PREFIX).first()
    if marker is not None:
        if marker.name == size.marker:
            return False
        raise CommandError(
            f"This database holds another benchmark set ({marker.name}); use a fresh database."
        )
    if Account.objects.filter(name__startswith=ACCOUNT_PREFIX).exists():
        raise CommandError(
            "This database holds an unfinished benchmark set (no marker); use a fresh database."
        )
    rng = random.Random(seed)
    people = _people(size)
    engagements = _accounts_and_engagements(size, people, rng)
    cases.build(size, people, engagements, rng, batch=batch, stream=stream)
    plans.build(size, people, rng, batch=max(1, batch // 5), stream=stream)
    Account.objects.create(name=size.marker, industry="Benchmark marker")
    return True


def _people(size: Size) -> dict:
    """Bench agents (Success Agents with a resource), and the demo users who join the set."""
    User = get_user_model()
    group = Group.objects.get(name=Role.SUCCESS_AGENT)
    agents = []
    for i in range(1, size.agents + 1):
        user, _ = User.objects.get_or_create(
            username=f"{AGENT_PREFIX}{i:02d}",
            defaults={"first_name": "Bench", "last_name": f"Agent {i:02d}"},
        )
        user.groups.add(group)
        Resource.objects.get_or_create(user=user, defaults={"title": "Success Agent"})
        agents.append(user)
    demo = {u.username: u for u in User.objects.filter(username__in=[*DEMO_ASSIGNEES, "manager"])}
    assignees = [demo[name] for name in DEMO_ASSIGNEES if name in demo] + agents
    resources = list(Resource.objects.assignable().select_related("user"))
    return {
        "agents": assignees,
        "manager": demo.get("manager") or agents[0],
        "resources": resources,
    }


def _accounts_and_engagements(size: Size, people: dict, rng: random.Random) -> list[Engagement]:
    tiers = [choice for choice, _ in Account.Tier.choices]
    owners = [None, *people["agents"]]
    with transaction.atomic():
        accounts = Account.objects.bulk_create(
            [
                Account(
                    name=f"{ACCOUNT_PREFIX}{i:05d}",
                    industry=rng.choice(["Retail", "Healthcare", "Logistics", "Education"]),
                    tier=rng.choice(tiers),
                    owner=rng.choice(owners),
                )
                for i in range(1, size.accounts + 1)
            ],
            batch_size=1000,
        )
        states = [Engagement.State.IN_PROGRESS] * 6 + [
            Engagement.State.NEW,
            Engagement.State.DEFINE,
            Engagement.State.CLOSED,
        ]
        stages = [choice for choice, _ in Engagement.Stage.choices]
        today = timezone.localdate()
        engagements = []
        for i in range(size.engagements):
            start = today - timedelta(days=rng.randint(0, 700))
            engagements.append(
                Engagement(
                    account=accounts[i % len(accounts)],
                    name=f"Benchmark engagement {i + 1:05d}",
                    stage=rng.choice(stages),
                    state=rng.choice(states),
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(30, 400)),
                    owner=rng.choice(owners),
                )
            )
        return Engagement.objects.bulk_create(engagements, batch_size=1000)


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
