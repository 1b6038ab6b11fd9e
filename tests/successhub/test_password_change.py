"""Every signed-in user changes their own password in the workspace, not in the admin."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import PASSWORD
from tests.factories import UserFactory

URL = reverse("password-change")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_changes_its_own_password(client, db, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Change password" in page.text
    assert 'name="old_password"' in page.text
    response = client.post(
        URL,
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("password-change-done")
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase-42")
    assert client.get(reverse("home")).status_code == 200  # still signed in here


def test_a_wrong_old_password_is_refused_next_to_the_field(client, db):
    user = UserFactory(roles=[Role.PARTICIPANT])
    client.force_login(user)
    response = client.post(
        URL,
        {
            "old_password": "not-it",
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.text
    assert 'id="id_old_password_error"' in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_strangers_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/login/")
