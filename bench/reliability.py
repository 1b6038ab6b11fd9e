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
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import urlencode
from urllib.parse import urlsplit

# Run as a script (.venv/bin/python bench/reliability.py): its package is the checkout's bench.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.kpi_grid import edited
from bench.kpi_grid import read_grid

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "bench-secret-1"
HOST = "127.0.0.1"
LOGS = Path(tempfile.gettempdir()) / "successhub-reliability"  # the servers' error logs


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# -- PostgreSQL --------------------------------------------------------------------------------
class Postgres:
    """A throwaway PostgreSQL 15 cluster, as .ci/run starts one."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="successhub-rel-pg."))
        self.data = self.dir / "data"
        self.port = free_port()
        self.root = os.getuid() == 0

    def _run(self, command: str, check: bool = True) -> subprocess.CompletedProcess:
        argv = (
            ["su", "postgres", "-s", "/bin/sh", "-c", command]
            if self.root
            else ["sh", "-c", command]
        )
        return subprocess.run(argv, check=check, capture_output=True, text=True)

    def start(self) -> None:
        (self.dir / "socket").mkdir(parents=True)
        self.data.mkdir()
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
            for sub in ("socket", "data"):
                shutil.chown(self.dir / sub, "postgres", "postgres")
        self._run(f"{PG_BIN}/initdb -D {self.data} -A trust -U postgres --no-instructions")
        options = (
            f"-c listen_addresses={HOST} -p {self.port}"
            f" -c unix_socket_directories={self.dir}/socket"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            f"{PG_BIN}/pg_ctl -D {self.data} -l {self.dir}/server.log -w start -o '{options}'"
        )
        self.options = options
        psql = f"{PG_BIN}/psql -h {HOST} -p {self.port} -U postgres -d postgres -qc"
        self._run(f"{psql} \"CREATE ROLE successhub LOGIN CREATEDB PASSWORD 'successhub'\"")
        self._run(f"{psql} 'CREATE DATABASE successhub OWNER successhub'")

    @property
    def url(self) -> str:
        return f"postgres://successhub:successhub@{HOST}:{self.port}/successhub"

    def restart(self) -> float:
        """``pg_ctl restart -m fast``; returns how long it took (seconds)."""
        started = time.monotonic()
        log = self.dir / "server.log"
        self._run(f"{PG_BIN}/pg_ctl -D {self.data} -l {log} -w -m fast restart -o '{self.options}'")
        return time.monotonic() - started

    def stop(self) -> None:
        self._run(f"{PG_BIN}/pg_ctl -D {self.data} -m immediate stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


# -- the app -----------------------------------------------------------------------------------
def app_env(pg: Postgres) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": pg.url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on 127.0.0.1 (TLS is the proxy's job)
        "SECURE_HSTS_SECONDS": "0",
        "API_THROTTLE_RATE": "",
        "AXES_FAILURE_LIMIT": "1000",
        "TASKS_BACKEND": "database",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "ERROR",
    }


def manage(env: dict, *args: str, extra: dict | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**env, **(extra or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def bench_data(env: dict, action: str, payload: object = None, **extra: str) -> dict:
    """Run bench/data.py's ``action`` inside Django; its JSON answer."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(payload, f)
    try:
        out = manage(
            env,
            "shell",
            "-c",
            "from bench import data; data.main()",
            extra={"BENCH_ACTION": action, "BENCH_FILE": f.name, **extra},
        )
    finally:
        os.unlink(f.name)
    line = next(line for line in out.splitlines() if line.startswith("BENCH-JSON "))
    return json.loads(line.removeprefix("BENCH-JSON "))


class Gunicorn:
    def __init__(self, env: dict, workers: int, log: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "successhub.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(log, "ab"),  # noqa: SIM115 (the server's, for as long as it runs)
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Client(self.port).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz in 60 s")

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


# -- an HTTP client with a session -------------------------------------------------------------
@dataclass
class Answer:
    status: int
    text: str
    location: str


class Client:
    """One browser: its own cookies (sent over plain HTTP although the app marks them
    Secure), the CSRF token, one connection at a time."""

    def __init__(self, port: int, timeout: float = 120) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, data: dict | None = None, *, json_body=None
    ) -> Answer:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method != "GET":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            if json_body is not None:
                body = json.dumps(json_body)
                headers["Content-Type"] = "application/json"
            else:
                body = urlencode(data or {}, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Answer(response.status, text, response.getheader("Location") or "")
        finally:
            conn.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None) -> Answer:
        return self.request("POST", path, data)

    def sign_in(self, username: str, attempts: int = 20) -> None:
        for _ in range(attempts):
            try:
                self.get("/login/")
                answer = self.post("/login/", {"username": username, "password": PASSWORD})
                if answer.status == 302:
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"sign-in of {username} failed {attempts} times")


# -- the simulated users -----------------------------------------------------------------------
@dataclass
class Record:
    """Everything the users saw: latencies, statuses, errors (with when), acknowledged writes."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: list[tuple[float, str]] = field(default_factory=list)  # (time, what)
    successes: list[float] = field(default_factory=list)  # times of 2xx/3xx answers
    cases: list[str] = field(default_factory=list)
    activities: list[int] = field(default_factory=list)
    kpis: list[tuple[int, str]] = field(default_factory=list)

    def timed(self, call, *args, **kwargs) -> Answer | None:
        started = time.monotonic()
        try:
            answer = call(*args, **kwargs)
        except (OSError, http.client.HTTPException) as error:
            with self.lock:
                self.errors.append((time.monotonic(), type(error).__name__))
            return None
        ended = time.monotonic()
        with self.lock:
            self.latencies.append(ended - started)
            self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1
            if answer.status >= 500:
                self.errors.append((ended, f"HTTP {answer.status}"))
            else:
                self.successes.append(ended)
        return answer


ACTIVITY_FORM = re.compile(r'action="(/cases/(SCS\d+)/activities/(\d+)/complete/)"')
FIELD = re.compile(r'name="a(\d+)-([a-z_]+)"')
OPTION = re.compile(r'<option value="(\d+)"')


def _activity_data(html: str, pk: str, user_id: int, token: str) -> dict:
    """Fill the open activity's form the way its labels ask (the seed's playbook)."""
    names = {name for owner, name in FIELD.findall(html) if owner == pk}
    values = {
        "short_description": f"Adoption push {token}",
        "description": f"Bench {token}",
        "priority": "2",
        "assigned_to": str(user_id),
        "squad": str(user_id),
        "text": f"Note {token}",
        "close_notes": f"Closed {token}",
        "closure_code": "",
    }
    data = {f"a{pk}-{name}": values.get(name, "") for name in names}
    if "closure_code" in names:
        start = html.find(f'name="a{pk}-closure_code"')
        options = OPTION.findall(html[start : start + 4000])
        data[f"a{pk}-closure_code"] = options[0] if options else ""
    return data


def agent_user(
    client: Client,
    user_id: int,
    targets: dict,
    record: Record,
    stop: float,
    rng: random.Random,
) -> None:
    while time.monotonic() < stop:
        engagement = rng.choice(targets["engagements"])
        answer = record.timed(client.post, "/cases/new/", {"engagement": engagement})
        if answer is None or answer.status != 302:
            continue
        number = urlsplit(answer.location).path.rstrip("/").rsplit("/", 1)[-1]
        with record.lock:
            record.cases.append(number)
        for _ in range(12):  # the seed's playbook has fewer activities than that
            if time.monotonic() >= stop:
                return
            page = record.timed(client.get, f"/cases/{number}/")
            if page is None or page.status != 200:
                break
            found = ACTIVITY_FORM.search(page.text)
            if not found:
                break
            path, _, pk = found.groups()
            data = _activity_data(page.text, pk, user_id, secrets.token_hex(4))
            done = record.timed(client.post, path, data)
            if done is None or done.status != 302:
                break  # a gate (an open meeting...) or an error: on to a new case
            with record.lock:
                record.activities.append(int(pk))


def csm_user(client: Client, kpi: dict, record: Record, stop: float, serial: int) -> None:
    count = 0
    while time.monotonic() < stop:
        page = record.timed(client.get, f"/plans/{kpi['plan']}/?tab=kpis")
        if page is None or page.status != 200:
            continue
        loaded = read_grid(page.text)
        if not loaded[1]:
            return  # no grid on this plan
        count += 1
        value = f"{serial}{count:05d}"  # unique per user and save
        data = edited(loaded, {kpi["name"]: {"current": value}})
        answer = record.timed(client.post, f"/plans/{kpi['plan']}/kpis/", data)
        if answer is not None and answer.status == 302:
            with record.lock:
                record.kpis.append((kpi["id"], value))


READER_PAGES = {
    "participant": ["/", "/cases/", "/accounts/", "/plans/", "/tracker/", "/business-challenges/"],
    "manager": ["/", "/review/", "/cases/?state=closed", "/accounts/", "/engagements/"],
}


def reader_user(
    client: Client, username: str, record: Record, stop: float, rng: random.Random, cases: list
) -> None:
    while time.monotonic() < stop:
        path = rng.choice(READER_PAGES[username])
        if cases and rng.random() < 0.3:
            path = f"/cases/{rng.choice(cases)}/"
        record.timed(client.get, path)


def run_load(
    port: int, targets: dict, users: int, seconds: float, record: Record, seed: int = 1, events=()
) -> float:
    """``users`` users for ``seconds``: 40% agents, 20% CSMs, 40% readers. ``events`` are
    (at seconds, callable) run on the side. Returns the start time."""
    rng = random.Random(seed)
    kpis = targets["kpis"]
    ids = targets["users"]
    existing: list[str] = record.cases  # readers open cases the agents created
    plan = []
    for n in range(users):
        kind = n % 5
        if kind in (0, 1):
            username = "agent" if n % 2 else "agent2"
            plan.append(
                (username, agent_user, [ids[username], targets, record, None, rng.random()])
            )
        elif kind == 2 and kpis:
            plan.append(("csm", csm_user, [kpis[n % len(kpis)], record, None, 100 + n]))
        else:
            username = "manager" if n % 2 else "participant"
            plan.append((username, reader_user, [username, record, None, rng.random(), existing]))
    # Everyone signs in first (password hashing is the slowest request): the clock starts after.
    clients = [Client(port) for _ in plan]
    signers = [
        threading.Thread(target=client.sign_in, args=(username,))
        for client, (username, _, _) in zip(clients, plan, strict=True)
    ]
    for thread in signers:
        thread.start()
    for thread in signers:
        thread.join()
    started = time.monotonic()
    stop = started + seconds
    threads = []
    for client, (_, target, args) in zip(clients, plan, strict=True):
        args = [stop if a is None else a for a in args]
        args = [random.Random(a) if isinstance(a, float) and a < 1 else a for a in args]
        threads.append(
            threading.Thread(target=_guard, args=(target, (client, *args), record), daemon=True)
        )
    for thread in threads:
        thread.start()
    for at, event in events:
        delay = started + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        event()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return started


def _guard(target, args, record: Record) -> None:
    try:
        target(*args)
    except Exception as error:  # a user that gives up is an error, not a silent stop
        with record.lock:
            record.errors.append(
                (time.monotonic(), f"user stopped: {type(error).__name__}: {error}")
            )


def percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    q = statistics.quantiles(values, n=100)
    return {
        "p50": round(q[49] * 1000, 1),
        "p95": round(q[94] * 1000, 1),
        "p99": round(q[98] * 1000, 1),
    }


def summary(record: Record, seconds: float) -> dict:
    return {
        "requests": len(record.latencies)
        + len(record.errors)
        - sum(1 for _, e in record.errors if e.startswith("HTTP")),
        "per_second": round(len(record.latencies) / seconds, 1),
        "statuses": dict(sorted(record.statuses.items())),
        "errors_5xx": sum(n for s, n in record.statuses.items() if s >= 500),
        "connection_errors": sum(1 for _, e in record.errors if not e.startswith(("HTTP", "user"))),
        "users_stopped": [e for _, e in record.errors if e.startswith("user")],
        "latency_ms": percentiles(record.latencies),
        "acknowledged": {
            "cases": len(record.cases),
            "activities": len(record.activities),
            "kpi_values": len(record.kpis),
        },
    }


def acked(record: Record) -> dict:
    return {"cases": record.cases, "activities": record.activities, "kpis": record.kpis}


# -- races -------------------------------------------------------------------------------------
def _at_once(*calls) -> list[Answer | None]:
    barrier = threading.Barrier(len(calls))
    results: list[Answer | None] = [None] * len(calls)

    def run(i: int, call) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except (OSError, http.client.HTTPException):
            results[i] = None

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def run_races(port: int, env: dict, rounds: int, targets: dict) -> dict:
    cases = bench_data(env, "race_cases", BENCH_ROUNDS=str(rounds))
    # Each lambda is called inside _at_once during its own loop turn: binding is safe.
    # ruff: noqa: B023
    agents = [Client(port), Client(port)]
    managers = [Client(port), Client(port)]
    csms = [Client(port), Client(port)]
    for client in agents:
        client.sign_in("agent")
    for client in managers:
        client.sign_in("manager")
    for client in csms:
        client.sign_in("csm")
    answers: dict[str, list] = {"gate": [], "close": [], "meeting": [], "review": [], "kpi": []}
    agent_id = targets["users"]["agent"]
    for case in cases["gate"]:
        pages = [a.get(f"/cases/{case['number']}/").text for a in agents]
        pk = str(case["activity"])
        data = [_activity_data(p, pk, agent_id, f"r{i}") for i, p in enumerate(pages)]
        path = f"/cases/{case['number']}/activities/{pk}/complete/"
        answers["gate"].append(
            _at_once(*(lambda c=c, d=d: c.post(path, d) for c, d in zip(agents, data, strict=True)))
        )
    for case in cases["close"]:
        path = f"/cases/{case['number']}/close/"
        answers["close"].append(_at_once(*(lambda c=c: c.post(path, {}) for c in agents)))
    for case in cases["meeting"]:
        path = f"/cases/{case['number']}/meetings/{case['meeting']}/cancel/"
        answers["meeting"].append(_at_once(*(lambda c=c: c.post(path, {}) for c in agents)))
    for case in cases["review"]:
        path = f"/review/{case['number']}/reviewed/"
        answers["review"].append(
            _at_once(
                *(
                    lambda c=c, i=i: c.post(path, {"review_note": f"Reviewed by {i}"})
                    for i, c in enumerate(managers)
                )
            )
        )
    kpi = targets["kpis"][0]
    cases["kpi"] = []
    for n in range(rounds):
        grids = [read_grid(c.get(f"/plans/{kpi['plan']}/?tab=kpis").text) for c in csms]
        values = [f"7{n}1{i}" for i in range(2)]
        data = [
            edited(g, {kpi["name"]: {"current": v}}) for g, v in zip(grids, values, strict=True)
        ]
        path = f"/plans/{kpi['plan']}/kpis/"
        result = _at_once(
            *(lambda c=c, d=d: c.post(path, d) for c, d in zip(csms, data, strict=True))
        )
        answers["kpi"].append(result)
        cases["kpi"].append({"id": kpi["id"], "values": values})
    changes = bench_data(env, "race_results", cases)
    out = {}
    for kind, counts in changes.items():
        statuses = [[a.status if a else None for a in pair] for pair in answers[kind]]
        out[kind] = {
            "rounds": len(counts),
            "changes_per_round": counts,
            "one_winner_every_time": all(c == 1 for c in counts),
            "statuses": statuses,
            "no_5xx": all((s or 599) < 500 for pair in statuses for s in pair),
        }
    return out


# -- two app servers ---------------------------------------------------------------------------
def run_two_servers(env: dict, first: Gunicorn, record_port_b: Gunicorn, targets: dict) -> dict:
    a, b = first.port, record_port_b.port
    client = Client(a)
    client.sign_in("agent")
    checks = {}
    client.port = b
    checks["session_carries_across"] = client.get("/cases/").status == 200
    client.port = a
    engagement = targets["engagements"][0]
    created = client.post("/cases/new/", {"engagement": engagement})
    number = urlsplit(created.location).path.rstrip("/").rsplit("/", 1)[-1]
    client.port = b
    page = client.get(f"/cases/{number}/")
    checks["write_on_a_read_on_b"] = (
        created.status == 302 and page.status == 200 and number in page.text
    )
    # Alternating requests, each to the other server, for a few seconds.
    statuses: dict[int, int] = {}
    for n in range(40):
        client.port = (a, b)[n % 2]
        status = client.get(("/accounts/", "/cases/", f"/cases/{number}/")[n % 3]).status
        statuses[status] = statuses.get(status, 0) + 1
    checks["alternating_statuses"] = statuses
    checks["healthz"] = [Client(p).get("/healthz").status for p in (a, b)]
    return checks


# -- the run -----------------------------------------------------------------------------------
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
