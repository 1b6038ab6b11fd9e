"""The reliability run's simulated users under load: agents work success cases activity by
activity, CSMs save KPI grids, readers open pages; what they saw and what the server
acknowledged (``Record``) and its summary."""

from __future__ import annotations

import http.client
import random
import re
import secrets
import statistics
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import urlsplit

from bench.client import Answer
from bench.client import Client
from bench.kpi_grid import edited
from bench.kpi_grid import read_grid


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


def activity_data(html: str, pk: str, user_id: int, token: str) -> dict:
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
            data = activity_data(page.text, pk, user_id, secrets.token_hex(4))
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
