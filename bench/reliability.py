"""The reliability suite: SuccessHub under load, faults and races, on one or two app servers.

    .venv/bin/python bench/reliability.py [--users 50] [--seconds 60] [--rounds 5]

Starts its own PostgreSQL 15 (initdb -A trust, 127.0.0.1 on a free port, fsync off; via
``su postgres`` when run as root), migrates, seeds the demo, collects static files and
starts gunicorn in production mode (DEBUG off) on 127.0.0.1. Then, in one run:

1. **load**: ``--users`` simulated users for ``--seconds``: agents create success cases
   and work their playbooks activity by activity, CSMs save KPI grids, readers open pages.
   Every write the server acknowledged (a redirect after the POST) is recorded and looked
   up in the database afterwards. Pass: 0 lost writes, 0 answers 5xx. Prints p50/p95/p99.
2. **faults**: load again; ``pg_ctl restart -m fast`` mid-way (requests fail only while
   PostgreSQL is down, service back within 5 s, nothing acknowledged lost, no half-written
   case), then ``kill -9`` of one gunicorn worker (only its in-flight request fails).
3. **races**: two sessions pressing the same button at once, ``--rounds`` times each: Send
   and continue on one activity (the gate), Close success case, a meeting transition,
   Mark Reviewed, two CSMs saving the same KPI cell. Pass: exactly one change each time.
4. **two app servers**: a second gunicorn on another port and ``manage.py db_worker``
   beside it; a session started on one continues on the other, a write on one is read on
   the other, the queued tasks are run by the worker.

Writes the figures as JSON (``--out``) and prints them; exits 1 when a check fails. Not
part of the test suite (it takes a few minutes); README "Reliability" and
docs/reliability.md say how to read it.

This module is the run (``main``) and its checks (``verdict``); the parts live beside it:
``servers`` (PostgreSQL, gunicorn, manage.py, bench/data.py), ``client`` (one browser's
session), ``load`` (the simulated users and their figures), ``races`` (the races and the
two app servers).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

# Run as a script (.venv/bin/python bench/reliability.py): its package is the checkout's bench.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.client import PASSWORD
from bench.load import Record
from bench.load import acked
from bench.load import run_load
from bench.load import summary
from bench.races import run_races
from bench.races import run_two_servers
from bench.servers import LOGS
from bench.servers import PYTHON
from bench.servers import ROOT
from bench.servers import Gunicorn
from bench.servers import Postgres
from bench.servers import app_env
from bench.servers import bench_data
from bench.servers import manage


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--fault-seconds", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--out", default=str(LOGS / "reliability.json"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "successhub.settings")

    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir()
    pg = Postgres()
    servers: list[Gunicorn] = []
    worker: subprocess.Popen | None = None
    results: dict = {"users": args.users, "seconds": args.seconds, "workers": args.workers}
    try:
        print("PostgreSQL 15 ...", flush=True)
        pg.start()
        env = app_env(pg)
        print("migrate, seed_demo, collectstatic ...", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--password", PASSWORD)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        targets = bench_data(env, "targets")
        servers.append(Gunicorn(env, args.workers, LOGS / "gunicorn-a.log"))
        port = servers[0].port

        print(f"load: {args.users} users for {args.seconds:.0f} s ...", flush=True)
        record = Record()
        run_load(port, targets, args.users, args.seconds, record)
        results["load"] = summary(record, args.seconds)
        results["load"]["verify"] = bench_data(env, "verify", acked(record))
        print(json.dumps(results["load"], indent=1), flush=True)

        print("faults: PostgreSQL restart, then kill -9 of a worker ...", flush=True)
        record = Record()
        fault: dict = {}
        third = args.fault_seconds / 3

        def restart_pg() -> None:
            fault["restart_at"] = time.monotonic()
            fault["restart_took_s"] = round(pg.restart(), 2)
            fault["restart_done_at"] = time.monotonic()

        def kill_worker() -> None:
            victim = servers[0].workers()[0]
            fault["killed_at"] = time.monotonic()
            os.kill(victim, signal.SIGKILL)
            fault["killed_worker"] = victim

        run_load(
            port,
            targets,
            args.users,
            args.fault_seconds,
            record,
            seed=2,
            events=[(third, restart_pg), (2 * third, kill_worker)],
        )
        restart_errors = [
            t for t, _ in record.errors if fault["restart_at"] - 1 <= t < fault["killed_at"]
        ]
        kill_errors = [t for t, _ in record.errors if fault["killed_at"] <= t]
        after_restart = [t for t in record.successes if t > fault["restart_done_at"]]
        results["faults"] = {
            **summary(record, args.fault_seconds),
            "pg_restart_took_s": fault["restart_took_s"],
            "errors_around_restart": len(restart_errors),
            "last_error_after_restart_s": round(max(restart_errors) - fault["restart_done_at"], 2)
            if restart_errors
            else 0.0,
            "first_success_after_restart_s": round(min(after_restart) - fault["restart_done_at"], 2)
            if after_restart
            else None,
            "errors_after_kill": len(kill_errors),
            "verify": bench_data(env, "verify", acked(record)),
        }
        print(json.dumps(results["faults"], indent=1), flush=True)

        print(f"races: {args.rounds} rounds of each ...", flush=True)
        results["races"] = run_races(port, env, args.rounds, targets)
        print(json.dumps(results["races"], indent=1), flush=True)

        print("two app servers and a task worker ...", flush=True)
        servers.append(Gunicorn(env, 2, LOGS / "gunicorn-b.log"))
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        results["two_servers"] = run_two_servers(env, servers[0], servers[1], targets)
        time.sleep(8)  # the worker picks up what the load enqueued (mail of notifications)
        results["two_servers"]["tasks_by_status"] = bench_data(env, "tasks")
        print(json.dumps(results["two_servers"], indent=1), flush=True)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=15)
        for server in servers:
            server.stop()
        pg.stop()

    checks = verdict(results)
    results["checks"] = checks
    Path(args.out).write_text(json.dumps(results, indent=1))
    print(json.dumps(checks, indent=1))
    return 0 if all(checks.values()) else 1


def verdict(r: dict) -> dict[str, bool]:
    def lost(v: dict) -> int:
        return v["cases_missing"] + v["activities_missing"] + v["kpi_values_missing"]

    load, faults, two = r["load"], r["faults"], r["two_servers"]
    return {
        "load: 0 lost writes": lost(load["verify"]) == 0,
        "load: 0 answers 5xx": load["errors_5xx"] == 0 and load["connection_errors"] == 0,
        "faults: 0 lost writes, no half-written case": lost(faults["verify"]) == 0
        and faults["verify"]["half_written_cases"] == 0,
        "faults: back within 5 s of the restart": faults["last_error_after_restart_s"] <= 5,
        "faults: only in-flight requests fail on kill -9": faults["errors_after_kill"] <= 1,
        "races: one winner every time": all(
            v["one_winner_every_time"] for v in r["races"].values()
        ),
        "races: no 5xx": all(v["no_5xx"] for v in r["races"].values()),
        "two servers: session and writes carry across": two["session_carries_across"]
        and two["write_on_a_read_on_b"]
        and set(two["alternating_statuses"]) == {200},
        "two servers: /healthz 200 on both": two["healthz"] == [200, 200],
        "task worker: no task failed": "FAILED" not in two["tasks_by_status"],
    }


if __name__ == "__main__":
    sys.exit(main())
