"""The reliability run's HTTP client: one browser with its own session, over plain HTTP."""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode

PASSWORD = "bench-secret-1"  # every seeded user's (the run seeds the demo with it)
HOST = "127.0.0.1"


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
