"""The reliability run's races: two sessions pressing the same button at once, and one
session on two app servers."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlsplit

from bench.client import Answer
from bench.client import Client
from bench.kpi_grid import edited
from bench.kpi_grid import read_grid
from bench.load import activity_data
from bench.servers import Gunicorn
from bench.servers import bench_data


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
        data = [activity_data(p, pk, agent_id, f"r{i}") for i, p in enumerate(pages)]
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
