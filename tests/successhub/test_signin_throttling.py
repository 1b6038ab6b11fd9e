"""Sign-in throttling (django-axes): a username is locked for one address after too many
wrong passwords, with our own page (HTTP 429), until the cool-off passes or an admin unlocks it.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
LOGIN = reverse("login")
LOCKED = "Too many failed sign-in attempts"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    """Say so explicitly: these tests are about axes, whatever the suite's default."""
    settings.AXES_ENABLED = True


@pytest.fixture
def user(db):
    return UserFactory(username="t-locked")


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail_until_locked(client: Client, username: str, limit: int):
    responses = [sign_in(client, username, "wrong-password") for _ in range(limit)]
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    return responses[-1]


def test_the_limit_is_read_from_the_settings_default(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_right_password_is_refused_after_the_limit_of_wrong_ones(client, user, settings):
    last_wrong = fail_until_locked(client, user.username, settings.AXES_FAILURE_LIMIT)
    assert last_wrong.status_code == 429

    response = sign_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert LOCKED in response.text
    assert "15 minutes" in response.text
    # our own layout, not a bare text page
    assert response.text.lstrip().startswith("<!doctype html>")
    assert "SuccessHub" in response.text
    assert reverse("password-reset") in response.text


def test_fewer_wrong_passwords_than_the_limit_still_let_the_right_one_in(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user.username, "wrong-password").status_code == 200
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    # and a success starts the count again
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_after_the_cool_off_the_right_password_signs_in(client, user, settings):
    fail_until_locked(client, user.username, settings.AXES_FAILURE_LIMIT)
    assert sign_in(client, user.username, PASSWORD).status_code == 429
    # The cool-off has passed: the failed attempts are older than AXES_COOLOFF_TIME.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_axes_reset_unlocks(client, user, settings):
    from axes.utils import reset

    fail_until_locked(client, user.username, settings.AXES_FAILURE_LIMIT)
    assert reset(username=user.username) == 1
    assert sign_in(client, user.username, PASSWORD).status_code == 302


def test_an_admin_sees_the_lock_and_unlocks_it_in_the_admin(client, user, settings):
    fail_until_locked(client, user.username, settings.AXES_FAILURE_LIMIT)
    admin = Client()
    admin.force_login(UserFactory(username="t-root", is_staff=True, is_superuser=True))
    listing = admin.get(reverse("admin:axes_accessattempt_changelist"), {"locked_out": "yes"})
    assert listing.status_code == 200
    (attempt,) = listing.context["cl"].result_list
    assert attempt.username == user.username

    unlocked = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert unlocked.status_code == 302
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_the_lock_holds_one_username_from_one_address(client, user, settings):
    fail_until_locked(client, user.username, settings.AXES_FAILURE_LIMIT)
    # the same user from another address signs in
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere, user.username, PASSWORD).status_code == 302
    # another user from the locked address signs in
    other = UserFactory(username="t-colleague")
    assert sign_in(Client(), other.username, PASSWORD).status_code == 302


def test_the_limits_come_from_the_environment():
    ours = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env |= {"DEBUG": "true", "AXES_FAILURE_LIMIT": "3", "AXES_COOLOFF_MINUTES": "40"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; "
            "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["3", "2400.0"]
