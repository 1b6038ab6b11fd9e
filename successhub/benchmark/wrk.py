"""Throughput under load: gunicorn (2 sync workers) on 127.0.0.1, driven by wrk.

Measured against the case list, a case page and a bare view (the middleware
stack alone, ``successhub.benchmark.urls``), so each page's rate reads as a
share of what the stack itself allows. gunicorn runs on the current database
with the benchmark settings; the session cookie comes from ``force_login``.
Everything is bounded: gunicorn gets 30 s to listen, each wrk run 5 s, and the
server is stopped (its own process group) whatever happens.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.test import Client

# wrk's own timeout is 2 s: a slower page would count as 0 requests/s.
WRK_ARGS = ["-t2", "-c4", "-d5s", "--timeout", "30s"]
WARM_UP = ["-t2", "-c2", "-d2s", "--timeout", "30s"]  # both workers warm
START_TIMEOUT = 30


def available() -> bool:
    return shutil.which("wrk") is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn exited with {server.returncode} before listening.")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not listen on 127.0.0.1:{port} within {START_TIMEOUT} s.")


def _session_cookie(username: str) -> str:
    """The cookies a signed-in browser sends: its session and its CSRF cookie."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get("/")  # sets the CSRF cookie, as a browser's first page does
    names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    return "; ".join(f"{name}={client.cookies[name].value}" for name in names)


def _wrk(url: str, cookie: str, args: list[str] = WRK_ARGS) -> float:
    done = subprocess.run(
        ["wrk", *args, "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    if "Non-2xx or 3xx responses" in done.stdout:
        raise CommandError(f"wrk got error responses from {url}:\n{done.stdout}")
    found = re.search(r"Requests/sec:\s*([\d.]+)", done.stdout)
    if not found:
        raise CommandError(f"Could not read wrk's output:\n{done.stdout}")
    return float(found.group(1))


def measure(paths: dict[str, str], username: str, *, cached: set[str] = frozenset()) -> dict:
    """Requests/s of each path (``{"bare": "/_benchmark/bare/", ...}``) as ``username``.

    A fresh gunicorn for each path: requests of a slow page still queued when
    its wrk run ends would otherwise hold the workers during the next one. Pages
    render afresh (``PAGE_CACHE_SECONDS=0``); those named in ``cached`` are measured
    a second time with the page cache on, as ``"<key>_cached"``.
    """
    if not available():
        raise CommandError("wrk is not on PATH.")
    cookie = _session_cookie(username)
    runs = [(key, path, 0) for key, path in paths.items()]
    runs += [(f"{key}_cached", paths[key], 60) for key in paths if key in cached]
    results = {}
    for key, path, cache_seconds in runs:
        with _gunicorn(page_cache_seconds=cache_seconds) as port:
            _wrk(f"http://127.0.0.1:{port}{path}", cookie, WARM_UP)  # errors show here
            results[key] = _wrk(f"http://127.0.0.1:{port}{path}", cookie)
    return results


@contextmanager
def _gunicorn(*, page_cache_seconds: int = 0) -> Iterator[int]:
    """gunicorn with 2 sync workers on a free port of 127.0.0.1, stopped on the way out."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "successhub.benchmark.settings",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,  # the session cookie is signed with it
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "ERROR",
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
    }
    if not os.environ.get("DATABASE_URL") and settings.DATABASES["default"]["NAME"]:
        env["DATABASE_URL"] = f"sqlite:///{settings.DATABASES['default']['NAME']}"
    base = Path(settings.BASE_DIR)
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "successhub.wsgi", "--workers", "2"),
            *("--bind", f"127.0.0.1:{port}", "--chdir", str(base), "--log-level", "error"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for(port, server)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
