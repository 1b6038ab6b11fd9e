"""Password reset by email, in the workspace's own layout (Django's PasswordResetView family)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import PASSWORD
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
RESET = reverse("password-reset")
SENT = reverse("password-reset-done")
NEW_PASSWORD = "a-new-long-passphrase-42"


@pytest.fixture
def user(db):
    return UserFactory(username="t-forgetful", email="forgetful@example.com")


def link_in(message) -> str:
    (link,) = re.findall(r"https?://testserver(/password/reset/\S+/)", message.body)
    return link


def test_the_sign_in_page_offers_a_reset(client, db):
    page = client.get(reverse("login"))
    assert f'href="{RESET}"' in page.text
    assert "Forgot your password?" in page.text


def test_a_reset_by_email_sets_a_new_password_that_signs_in(client, user, mailoutbox, settings):
    page = client.get(RESET)
    assert page.status_code == 200
    assert "Reset password" in page.text
    assert 'class="topbar"' in page.text  # our layout

    response = client.post(RESET, {"email": "Forgetful@example.com"})

    assert response.status_code == 302
    assert response.url == SENT
    assert "If an account uses that email address" in client.get(SENT).text
    (message,) = mailoutbox
    assert message.to == ["forgetful@example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Reset your SuccessHub password"
    assert "t-forgetful" in message.body  # the username to sign in with

    form = client.get(link_in(message), follow=True)
    assert form.status_code == 200
    assert "Set a new password" in form.text
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done.url == reverse("password-reset-complete")
    complete = client.get(done.url)
    assert "Your password was set" in complete.text
    assert f'href="{reverse("login")}"' in complete.text

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    signed_in = client.post(reverse("login"), {"username": user.username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_an_unknown_email_gets_the_same_sent_page_and_no_mail(client, user, mailoutbox):
    known = client.post(RESET, {"email": user.email})
    unknown = client.post(RESET, {"email": "nobody@example.com"})
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url) == (302, SENT)
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_a_link_works_once(client, user, mailoutbox):
    client.post(RESET, {"email": user.email})
    link = link_in(mailoutbox[0])
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    again = client.get(link, follow=True)
    assert again.status_code == 200
    assert "This link has expired or was already used" in again.text
    assert 'name="new_password1"' not in again.text


def test_a_weak_new_password_is_refused_next_to_the_field(client, user, mailoutbox):
    client.post(RESET, {"email": user.email})
    form = client.get(link_in(mailoutbox[0]), follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "This password is too common" in response.text
    assert 'id="id_new_password2_error"' in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def run_settings(**env: str) -> list[str]:
    ours = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
            "s.DEFAULT_FROM_EMAIL)",
        ],
        cwd=ROOT,
        env=clean | {"DEBUG": "true"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


def test_mail_goes_to_the_console_unless_email_url_says_otherwise():
    assert run_settings()[0] == "django.core.mail.backends.console.EmailBackend"
    backend, host, port, tls, sender = run_settings(
        EMAIL_URL="smtp+tls://mailer:secret@mail.example.com:587",
        DEFAULT_FROM_EMAIL="success@example.com",
    )
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (host, port, tls, sender) == ("mail.example.com", "587", "True", "success@example.com")
