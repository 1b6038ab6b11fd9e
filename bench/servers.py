"""The reliability run's servers: a throwaway PostgreSQL 15, gunicorn in production mode,
``manage.py`` commands and bench/data.py's actions inside Django, all on 127.0.0.1."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from bench.client import HOST
from bench.client import Client

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_BIN = Path("/usr/lib/postgresql/15/bin")
LOGS = Path(tempfile.gettempdir()) / "successhub-reliability"  # the servers' error logs


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


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
