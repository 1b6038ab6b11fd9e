"""``manage.py benchmark_health``: the accounts list with health scores against the plain list
at the demo's ~10 accounts and at 10,000, and the daily snapshot of 10,000 accounts.

    DATABASE_URL=sqlite:////tmp/bench-health.sqlite3 DEBUG=true \\
        python manage.py benchmark_health [--accounts 10000] [--runs 15]

Use a throwaway database: it is migrated, seeded with the demo data (measured as "small"),
then given the large set (``successhub.benchmark.data``: accounts, each with an engagement,
cases with tasks and journal, and a plan with objectives, KPIs, a playbook and tasks),
measured as "large". A database that holds the large set already is refused (its small
figures could not be taken). Prints a markdown table for docs/performance.md.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from successhub.benchmark import data
from successhub.benchmark import health

TIMES = "\N{MULTIPLICATION SIGN}"


class Command(BaseCommand):
    help = "Time the accounts list with health scores (10 and 10,000 accounts) and the snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            help="Success cases in the large set (default three per account; fewer build faster).",
        )

    def handle(self, *args, accounts: int, runs: int, cases: int | None, **options):
        call_command("migrate", verbosity=0)
        if data.has_large():
            # The small figures are the demo data alone: they cannot be taken any more here.
            raise CommandError(
                "This database holds the large set of an earlier run; benchmark_health measures "
                "the demo data first, so give it a fresh database (DATABASE_URL=...)."
            )
        data.ensure_small()
        small_accounts = health.accounts_count()
        small_snapshot, _ = health.time_snapshot()  # stores the current scores the list reads
        small = health.measure(runs)
        extra = max(1, accounts - small_accounts - 1)  # - the marker account
        cases = cases or 3 * extra
        size = data.Size.scaled(
            cases=cases,
            accounts=extra,
            engagements=extra,
            plans=extra,
            open_cases=min(extra, cases),
        )
        self.stderr.write(f"Large set: {size.marker}")
        data.ensure_large(size, stream=self.stderr)
        large_accounts = health.accounts_count()
        first, counts = health.time_snapshot()
        again, _ = health.time_snapshot()
        large = health.measure(runs)
        out = self.stdout.write
        out(
            f"\n| Accounts list ({runs} runs, median) | {small_accounts} accounts | queries |"
            f" {large_accounts:,} accounts | queries | large ÷ small |"
        )
        out("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, timing in small.items():
            big = large[name]
            ratio = big.median_ms / timing.median_ms
            out(
                f"| {name} | {timing.median_ms:.1f} ms | {timing.queries} |"
                f" {big.median_ms:.1f} ms | {big.queries} | {ratio:.2f}{TIMES} |"
            )
        out("\n| ÷ plain list | small | large |")
        out("| --- | ---: | ---: |")
        for name in list(small)[1:]:
            ratios = [
                figures[name].median_ms / figures["plain list"].median_ms
                for figures in (small, large)
            ]
            out(f"| {name} | {ratios[0]:.2f}{TIMES} | {ratios[1]:.2f}{TIMES} |")
        out(
            f"\nSnapshot of {large_accounts:,} accounts: {first:.1f} s"
            f" ({counts['created']:,} created); again the same day: {again:.1f} s (updates);"
            f" {small_accounts} accounts: {small_snapshot * 1000:.0f} ms"
        )
