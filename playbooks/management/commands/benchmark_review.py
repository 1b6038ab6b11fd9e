"""Seed many closed and canceled success cases, then time the Review page and its CSV export.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 DEBUG=true python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 DEBUG=true python manage.py benchmark_review

Run it against a throwaway database: it adds benchmark users, accounts,
engagements and ``--cases`` success cases (numbers BEN0000001...) with bulk_create,
skipping what an earlier run already added, so a second run only times. Each
case gets what the Review figures read: its Phase and State changes in the
journal (the moments it left each phase), a comment, a few meetings and tasks,
a squad, and for some a review. Then it signs a Success Manager in with Django's
test client and prints the median times of the Review page (several runs) and
of the whole CSV export, streamed and consumed.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from engagements.models import Account, Engagement
from playbooks.defaults import CLOSURE_CODES
from playbooks.models import (
    CaseTask,
    ClosureCode,
    JournalEntry,
    Meeting,
    MeetingState,
    Phase,
    SuccessCase,
    TaskState,
)

PREFIX = "BEN"
TASK_PREFIX = "BENTASK"
AGENTS = 12
ACCOUNTS = 25
ENGAGEMENTS_PER_ACCOUNT = 2
CLOSED_SHARE = 0.85
REVIEWED_SHARE = 0.2
LANE_LABELS = [Phase.INITIATE.label, Phase.ASSIST.label, Phase.REVIEW_CLOSE.label]


class Command(BaseCommand):
    help = (
        "Seed --cases closed and canceled success cases (bulk_create) into the current "
        "database, then time the Review page and its full CSV export. Use a throwaway database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases", type=int, default=100_000, help="Benchmark cases to have (default 100000)."
        )
        parser.add_argument("--runs", type=int, default=5, help="Timed runs of each page.")
        parser.add_argument("--batch", type=int, default=5000, help="Cases per transaction.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed of the data.")

    def handle(self, *args, cases: int, runs: int, batch: int, seed: int, **options):
        if cases < 1 or runs < 1 or batch < 1:
            raise CommandError("--cases, --runs and --batch must be positive.")
        vendor = connection.vendor
        self.stdout.write(f"Database: {vendor} ({settings.DATABASES['default']['NAME']})")
        people = self._people()
        self._seed(cases, batch, people, random.Random(seed))
        self._time(people["manager"], runs)

    # -- seeding -------------------------------------------------------------------------------
    def _people(self) -> dict:
        User = get_user_model()
        manager, _ = User.objects.get_or_create(
            username="bench.manager", defaults={"first_name": "Bench", "last_name": "Manager"}
        )
        manager.groups.add(Group.objects.get(name=Role.SUCCESS_MANAGER))
        agents = []
        agent_group = Group.objects.get(name=Role.SUCCESS_AGENT)
        for i in range(1, AGENTS + 1):
            agent, _ = User.objects.get_or_create(
                username=f"bench.agent{i:02d}",
                defaults={"first_name": "Agent", "last_name": f"{i:02d}"},
            )
            agent.groups.add(agent_group)
            agents.append(agent)
        engagements = []
        for a in range(1, ACCOUNTS + 1):
            account, _ = Account.objects.get_or_create(name=f"Benchmark account {a:02d}")
            for e in range(1, ENGAGEMENTS_PER_ACCOUNT + 1):
                engagement, _ = Engagement.objects.get_or_create(
                    account=account,
                    name=f"Benchmark engagement {a:02d}-{e}",
                    defaults={"start_date": timezone.localdate() - timedelta(days=400)},
                )
                engagements.append(engagement)
        codes = list(ClosureCode.objects.filter(active=True))
        if not codes:
            codes = [
                ClosureCode.objects.create(name=name, order=order)
                for order, name in enumerate(CLOSURE_CODES, start=1)
            ]
        return {"manager": manager, "agents": agents, "engagements": engagements, "codes": codes}

    def _seed(self, wanted: int, batch: int, people: dict, rng: random.Random) -> None:
        existing = SuccessCase.objects.filter(number__startswith=PREFIX).count()
        missing = wanted - existing
        if missing <= 0:
            self.stdout.write(f"{existing:,} benchmark cases exist already: nothing to seed.")
            return
        self.stdout.write(f"Seeding {missing:,} cases ({existing:,} exist already)...")
        started = time.perf_counter()
        task_number = CaseTask.objects.filter(number__startswith=TASK_PREFIX).count()
        # At least ten batches, so progress shows every 10%.
        batch = min(batch, max(1, -(-missing // 10)))
        done, next_report = 0, 0.1
        while done < missing:
            size = min(batch, missing - done)
            with transaction.atomic():
                task_number = self._seed_batch(existing + done + 1, size, task_number, people, rng)
            done += size
            if done / missing >= next_report - 1e-9 or done == missing:
                elapsed = time.perf_counter() - started
                self.stdout.write(
                    f"  {done:,} of {missing:,} cases ({done / missing:.0%}), {elapsed:.1f} s"
                )
                self.stdout.flush()
                while next_report <= done / missing + 1e-9:
                    next_report += 0.1
        elapsed = time.perf_counter() - started
        journal = JournalEntry.objects.filter(case__number__startswith=PREFIX).count()
        self.stdout.write(
            f"Seeded {missing:,} cases in {elapsed:.1f} s ({journal:,} journal entries in all)."
        )

    def _seed_batch(
        self, first: int, size: int, task_number: int, people: dict, rng: random.Random
    ) -> int:
        now = timezone.now()
        manager, agents = people["manager"], people["agents"]
        cases, plans = [], []
        for number in range(first, first + size):
            agent = rng.choice(agents)
            closed_at = now - timedelta(days=rng.uniform(0.5, 364))
            cycle = timedelta(hours=rng.lognormvariate(5.3, 0.6))  # ~8 days, long tail
            opened_at = closed_at - cycle
            # Share of the cycle spent in Initiate, Assist, Review & Close.
            split = [rng.uniform(0.05, 0.25), rng.uniform(0.3, 0.6)]
            left = [opened_at + cycle * split[0], opened_at + cycle * (split[0] + split[1])]
            closed = rng.random() < CLOSED_SHARE
            # A canceled case stops in one of the lanes (0, 1 or 2).
            last_lane = 2 if closed else rng.choice([0, 1, 1, 2])
            reviewed = closed and rng.random() < REVIEWED_SHARE
            case = SuccessCase(
                number=f"{PREFIX}{number:07d}",
                engagement=rng.choice(people["engagements"]),
                short_description=f"Benchmark case {number}",
                assigned_to=agent,
                opened_by=agent,
                opened_at=opened_at,
                closed_by=agent,
                closed_at=closed_at,
                phase=Phase.CLOSED if closed else Phase.CANCELED,
                closure_code=rng.choice(people["codes"]) if closed else None,
                close_notes="Outcome reviewed with the customer." if closed else "",
                cancel_reason="" if closed else "The customer paused the project.",
                reviewed_at=closed_at + timedelta(days=1) if reviewed else None,
                reviewed_by=manager if reviewed else None,
                review_note="Benchmark review." if reviewed else "",
            )
            cases.append(case)
            plans.append((agent, last_lane, left, reviewed))
        SuccessCase.objects.bulk_create(cases, batch_size=500)

        journal, meetings, tasks, squad = [], [], [], []
        Squad = SuccessCase.squad.through
        for case, (agent, last_lane, left, reviewed) in zip(cases, plans, strict=True):
            opened, closed_at = case.opened_at, case.closed_at
            end_state = "Closed" if case.phase == Phase.CLOSED else "Canceled"

            def change(field, old, new, at, case=case, agent=agent):
                return JournalEntry(
                    case=case,
                    author=agent,
                    kind=JournalEntry.Kind.CHANGE,
                    field=field,
                    old_value=old,
                    new_value=new,
                    created_at=at,
                )

            journal += [
                change("State", "—", "Open", opened),
                change("Phase", "—", "Initiate", opened),
            ]
            journal.append(
                JournalEntry(
                    case=case,
                    author=agent,
                    kind=JournalEntry.Kind.COMMENT,
                    body="We agreed the intended outcome with the customer.",
                    created_at=opened + (closed_at - opened) / 10,
                )
            )
            for lane in range(last_lane):
                journal.append(
                    change("Phase", LANE_LABELS[lane], LANE_LABELS[lane + 1], left[lane])
                )
            journal.append(change("Phase", LANE_LABELS[last_lane], end_state, closed_at))
            journal.append(change("State", "Open", end_state, closed_at))
            if reviewed:
                journal.append(change("Reviewed", "No", "Yes", case.reviewed_at, agent=manager))
            for _ in range(rng.choice([0, 1, 1, 2])):
                start = opened + (closed_at - opened) * rng.uniform(0.2, 0.8)
                meetings.append(
                    Meeting(
                        case=case,
                        subject="Benchmark check-in",
                        start=start,
                        end=start + timedelta(hours=1),
                        state=MeetingState.COMPLETE,
                        created_by=agent,
                    )
                )
            for _ in range(rng.choice([0, 1, 2, 3])):
                task_number += 1
                tasks.append(
                    CaseTask(
                        case=case,
                        number=f"{TASK_PREFIX}{task_number:08d}",
                        short_description="Benchmark task",
                        assigned_to=agent,
                        state=TaskState.COMPLETE,
                        created_by=agent,
                    )
                )
            members = {agent.pk, rng.choice(people["agents"]).pk}
            squad += [Squad(successcase_id=case.pk, user_id=pk) for pk in members]
        JournalEntry.objects.bulk_create(journal, batch_size=2000)
        Meeting.objects.bulk_create(meetings, batch_size=1000)
        CaseTask.objects.bulk_create(tasks, batch_size=1000)
        Squad.objects.bulk_create(squad, batch_size=2000)
        return task_number

    # -- timing --------------------------------------------------------------------------------
    def _time(self, manager, runs: int) -> None:
        client = Client()
        # Whatever the deploy settings: no HTTPS redirect, a host the test client may use.
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            client.force_login(manager)
            url = reverse("playbooks:review")
            export_url = reverse("playbooks:review-export")
            code = ClosureCode.objects.order_by("order").first()
            since = (timezone.localdate() - timedelta(weeks=13)).isoformat()
            pages = [
                ("Review page", url, {}),
                (
                    "Review page, one closure code, last 13 weeks",
                    url,
                    {"closure_code": code.pk, "closed_from": since},
                ),
                (
                    "Review page, sorted by cycle time, page 100",
                    url,
                    {"sort": "-cycle_time", "page": 100},
                ),
            ]
            self.stdout.write(f"Timing ({runs} runs each, median shown):")
            for label, address, params in pages:
                reset_queries()  # with DEBUG the log of the seeding queries may be full
                with CaptureQueriesContext(connection) as queries:
                    self._get(client, address, params)  # warm-up, and its query count
                times = [
                    self._timed(lambda a=address, p=params: self._get(client, a, p))
                    for _ in range(runs)
                ]
                self.stdout.write(
                    f"  {label}: {statistics.median(times) * 1000:,.0f} ms "
                    f"(min {min(times) * 1000:,.0f}, max {max(times) * 1000:,.0f}; "
                    f"{len(queries.captured_queries)} queries)"
                )
            export_runs = max(1, min(runs, 3))
            results = []
            for _ in range(export_runs):
                started = time.perf_counter()
                rows, size = self._export(client, export_url)
                results.append((time.perf_counter() - started, rows, size))
            times = [t for t, _rows, _size in results]
            _t, rows, size = results[-1]
            self.stdout.write(
                f"  CSV export, all cases: {statistics.median(times):,.2f} s "
                f"(min {min(times):,.2f}, max {max(times):,.2f}; {export_runs} runs; "
                f"{rows:,} rows, {size / 1_000_000:,.1f} MB)"
            )

    @staticmethod
    def _timed(call: Callable[[], object]) -> float:
        started = time.perf_counter()
        call()
        return time.perf_counter() - started

    @staticmethod
    def _get(client: Client, url: str, params: dict):
        response = client.get(url, params)
        if response.status_code != 200:
            raise CommandError(f"GET {url} answered {response.status_code}.")
        return response

    @staticmethod
    def _export(client: Client, url: str) -> tuple[int, int]:
        """Consume the streamed CSV chunk by chunk: (data rows, bytes)."""
        response = client.get(url)
        if response.status_code != 200 or not response.streaming:
            raise CommandError(f"GET {url} answered {response.status_code}, not a stream.")
        lines = size = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
            size += len(chunk)
        return lines - 1, size
