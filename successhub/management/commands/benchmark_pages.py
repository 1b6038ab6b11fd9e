"""Measure every page at two sizes, small (the demo data) and large, and print one table.

    DEBUG=true python manage.py benchmark_pages \\
        --small-db sqlite:////tmp/bench-small.sqlite3 --large-db sqlite:////tmp/bench.sqlite3

Two databases, one run. "small" is ``seed_demo``'s data; "large" is the same
demo data plus a bulk-inserted set (``--cases``, ``--open``, ``--accounts``,
``--engagements``, ``--plans``; by default the production-like set of issue 11,
110,000 cases of which 10,000 open). The same demo users, case, plan and
template are measured in both, so the ratio large ÷ small says how much a page
grows with data it does not show.

Decision: the two sizes live in two databases. Scoping "small" to a small
account inside one large database would not measure what grows (the filter
bars' lists of every account and engagement, the counts and figures over every
row), and building the large set next to the small one would mean the small
numbers can only be taken once. So:

- ``--small-db URL --large-db URL``: starts this command once per database (a
  child process with ``DATABASE_URL`` set, ``--serve --size small|large``), which
  migrates it and builds or reuses its data; then the two children take turns page
  by page (small, large, large, small, ...: ``--rounds`` turns of ``--runs`` runs
  each, all pooled), so a shared machine's load, which moves during a run, weighs on
  both sizes alike; then the table. Databases are reused: the large set is found
  by its marker account and not built again.
- ``--size small`` or ``--size large``: that size in the current database only.
- neither: both in the current database, one after the other (small, then the
  large set is added, then large); what the test suite uses. When the current
  database holds the large set already, only large is measured.

``--wrk`` (needs ``wrk`` on PATH) adds requests/s under ``wrk -t2 -c4 -d5s``
against gunicorn (2 sync workers, 127.0.0.1) for the case list, a case page and
a bare view. Use throwaway databases: the command adds rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import connection

from engagements.models import Account
from engagements.models import Engagement
from playbooks.models import OPEN_PHASES
from playbooks.models import JournalEntry
from playbooks.models import SuccessCase
from successhub.benchmark import data
from successhub.benchmark import pages
from successhub.benchmark import report
from successhub.benchmark import wrk
from successplans.models import PlaybookTask
from successplans.models import SuccessPlan

SIZE_OPTIONS = ("cases", "open", "accounts", "engagements", "plans")


class Command(BaseCommand):
    help = (
        "Build (or reuse) the small and large benchmark data and print a markdown table "
        "of every page: queries, median time, render share, size, ratio large ÷ small."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], help="Measure one size only.")
        parser.add_argument("--small-db", help="Database URL for the small size.")
        parser.add_argument("--large-db", help="Database URL for the large size.")
        parser.add_argument("--cases", type=int, default=110_000, help="Large: cases in all.")
        parser.add_argument("--open", type=int, help="Large: open cases (default cases / 11).")
        parser.add_argument("--accounts", type=int, help="Large: accounts (default cases / 110).")
        parser.add_argument("--engagements", type=int, help="Large: engagements (2 an account).")
        parser.add_argument("--plans", type=int, help="Large: success plans (default cases / 22).")
        parser.add_argument("--runs", type=int, default=5, help="Timed runs of each page.")
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="With --small-db/--large-db: each page's runs come in this many turns, small "
            "and large taking turns page by page; every run is pooled.",
        )
        parser.add_argument("--batch", type=int, default=5000, help="Cases per transaction.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed of the data.")
        parser.add_argument(
            "--only", help="Comma-separated page keys: " + ",".join(p.key for p in pages.PAGES)
        )
        parser.add_argument("--wrk", action="store_true", help="Also run wrk against gunicorn.")
        parser.add_argument("--json", help="Write the results of this database to this file.")
        parser.add_argument("--migrate", action="store_true", help="Migrate the database first.")
        # A child of a two-database run: answers its parent's requests (one JSON line each).
        parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["runs"] < 1 or options["batch"] < 1 or options["rounds"] < 1:
            raise CommandError("--runs, --rounds and --batch must be positive.")
        if options["wrk"] and not wrk.available():
            raise CommandError("--wrk needs wrk on PATH.")
        self.size = data.Size.scaled(
            options["cases"],
            open_cases=options["open"],
            accounts=options["accounts"],
            engagements=options["engagements"],
            plans=options["plans"],
        )
        self.options = options
        self.only = set(options["only"].split(",")) if options["only"] else None
        if options["small_db"] or options["large_db"]:
            if not (options["small_db"] and options["large_db"]):
                raise CommandError("Give both --small-db and --large-db.")
            small, large = self._take_turns(
                {"small": options["small_db"], "large": options["large_db"]}
            )
        elif options["serve"]:
            if options["migrate"]:
                call_command("migrate", verbosity=0)
            self._serve(options["size"])
            return
        else:
            if options["migrate"]:
                call_command("migrate", verbosity=0)
            small = large = {}
            if options["size"] in (None, "small") and not data.has_large():
                data.ensure_small()
                small = self._measure("small")
            elif options["size"] == "small":
                raise CommandError("This database holds the large set; it cannot measure small.")
            if options["size"] in (None, "large"):
                built = data.ensure_large(
                    self.size, seed=options["seed"], batch=options["batch"], stream=self.stderr
                )
                if not built:
                    self.stderr.write(f"Reusing the large set ({self.size.marker}).")
                large = self._measure("large")
            if options["json"]:
                result = small or large
                Path(options["json"]).write_text(json.dumps(result, indent=1))
                return
        self._print(small, large)

    # -- one size in the current database ---------------------------------------------------
    def _measure(self, name: str) -> dict:
        if data.ensure_scored():
            self.stderr.write("Scored the accounts no snapshot had scored (snapshot_health).")
        self.stderr.write(f"Measuring {name} ({self.options['runs']} runs a page)...")
        results = pages.measure(self.options["runs"], self.only)
        measured = {
            "meta": {
                "size": name,
                "database": connection.display_name,
                "counts": _counts(),
                "runs": self.options["runs"],
            },
            "pages": {label: asdict(result) for label, result in results.items()},
        }
        if self.options["wrk"]:
            measured["wrk"] = self._wrk()
        return measured

    def _wrk(self) -> dict:
        case = pages.demo_objects()["case"]
        return wrk.measure(
            {"bare": "/_benchmark/bare/", "cases": "/cases/", "case": case.get_absolute_url()},
            data.DEMO_AGENT,
            cached={"cases", "case"},
        )

    # -- two databases, one child process each, taking turns page by page --------------------
    def _take_turns(self, urls: dict[str, str]) -> tuple[dict, dict]:
        """Both children answer each page in turn (small, large, large, small, ...), so a
        machine that gets busier or quieter during the run weighs on both sizes alike."""
        children = {
            name: _Child(name, self._child_command(name), url) for name, url in urls.items()
        }
        try:
            metas = {name: child.receive() for name, child in children.items()}
            runs, turns = self.options["runs"], self.options["rounds"]
            found = {
                name: [{"meta": {**metas[name], "runs": runs}, "pages": {}} for _ in range(turns)]
                for name in urls
            }
            for key in pages.keys(self.only):
                self.stderr.write(f"Measuring {key} ({turns} turns of {runs} runs a size)...")
                for turn in range(turns):
                    order = list(children) if turn % 2 == 0 else list(reversed(children))
                    for name in order:
                        found[name][turn]["pages"].update(
                            children[name].ask({"page": key, "runs": runs})
                        )
            measured = {name: report.pool(found[name]) for name in children}
            if self.options["wrk"]:
                for name, child in children.items():
                    measured[name]["wrk"] = child.ask({"wrk": True})
        finally:
            for child in children.values():
                child.close()
        return measured["small"], measured["large"]

    def _child_command(self, name: str) -> list[str]:
        command = [
            sys.executable,
            str(Path(settings.BASE_DIR) / "manage.py"),
            "benchmark_pages",
            "--serve",
            "--size",
            name,
            "--migrate",
            "--batch",
            str(self.options["batch"]),
            "--seed",
            str(self.options["seed"]),
        ]
        for option in SIZE_OPTIONS:
            if self.options[option] is not None:
                command += [f"--{option}", str(self.options[option])]
        return command

    def _serve(self, name: str) -> None:
        """A child: prepare this size's data, say what the database holds, then answer each
        request line (``{"page": key, "runs": n}`` or ``{"wrk": true}``) with a JSON line.
        Anything else written to the standard output goes to the standard error instead."""
        answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
        if name == "small":
            if data.has_large():
                raise CommandError("This database holds the large set; it cannot measure small.")
            data.ensure_small()
        elif not data.ensure_large(
            self.size, seed=self.options["seed"], batch=self.options["batch"], stream=self.stderr
        ):
            self.stderr.write(f"Reusing the large set ({self.size.marker}).")
        if data.ensure_scored():
            self.stderr.write("Scored the accounts no snapshot had scored (snapshot_health).")
        measurer = pages.Measurer()

        def answer(value) -> None:
            answers.write(json.dumps(value) + "\n")
            answers.flush()

        answer({"size": name, "database": connection.display_name, "counts": _counts()})
        for line in sys.stdin:
            request = json.loads(line)
            if "page" in request:
                results = measurer.page(request["page"], request["runs"])
                answer({label: asdict(result) for label, result in results.items()})
            elif request.get("wrk"):
                answer(self._wrk())

    def _print(self, small: dict, large: dict) -> None:
        self.stdout.write(report.describe("S (small)", small.get("meta")))
        self.stdout.write(report.describe("L (large)", large.get("meta")))
        self.stdout.write("")
        self.stdout.write(report.table(small, large))
        wrk_table = report.wrk_table(small, large)
        if wrk_table:
            self.stdout.write("")
            self.stdout.write(wrk_table)


def _counts() -> dict[str, int]:
    return {
        "cases": SuccessCase.objects.count(),
        "open cases": SuccessCase.objects.filter(phase__in=OPEN_PHASES).count(),
        "journal entries": JournalEntry.objects.count(),
        "accounts": Account.objects.count(),
        "engagements": Engagement.objects.count(),
        "plans": SuccessPlan.objects.filter(is_template=False).count(),
        "plan tasks": PlaybookTask.objects.count(),
    }


class _Child:
    """``benchmark_pages --serve`` on one database: one JSON line asked, one answered."""

    def __init__(self, name: str, command: list[str], url: str):
        self.name = name
        sys.stderr.write(f"{name}: {url}\n")
        self.process = subprocess.Popen(
            command,
            env={**os.environ, "DATABASE_URL": url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def receive(self):
        line = self.process.stdout.readline()
        if not line:
            raise CommandError(f"Measuring {self.name} failed (exit {self.process.wait()}).")
        return json.loads(line)

    def ask(self, request: dict):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self.receive()

    def close(self) -> None:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
