"""Requests per user are limited (API_THROTTLE_RATE): over the rate, 429 with Retry-After."""

from __future__ import annotations

from .conftest import api_client


def test_over_the_rate_a_user_gets_429_with_retry_after(world, settings):
    settings.API_THROTTLE_RATE = "3/min"
    client = api_client(world, "csm")

    statuses = [client.get("/api/v1/accounts/").status_code for _ in range(3)]
    refused = client.get("/api/v1/cases/")

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()


def test_the_rate_is_per_user(world, settings):
    settings.API_THROTTLE_RATE = "2/min"
    for _ in range(2):
        api_client(world, "csm").get("/api/v1/accounts/")
    assert api_client(world, "csm").get("/api/v1/accounts/").status_code == 429
    assert api_client(world, "agent").get("/api/v1/accounts/").status_code == 200


def test_an_empty_rate_means_no_limit(world, settings):
    settings.API_THROTTLE_RATE = ""
    client = api_client(world, "csm")
    assert {client.get("/api/v1/accounts/").status_code for _ in range(5)} == {200}
