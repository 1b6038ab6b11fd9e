"""Personal API tokens: created on the API tokens page, shown once, stored hashed, used as
``Authorization: Bearer``, revoked by their owner or an admin."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from api import services
from api.models import ApiToken
from core.errors import DomainError
from successplans.models import ObjectiveKPI

from .conftest import api_client

ACCOUNTS = "/api/v1/accounts/"


def bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_it_creates_a_token_and_shows_the_key_once(client_for, agent):
    client = client_for("agent")
    response = client.post(reverse("tokens:token-list"), {"name": "Usage sync"}, follow=True)

    # Post/redirect/get: the key is shown on the page the POST redirects to.
    assert response.redirect_chain == [(reverse("tokens:token-list"), 302)]
    key = response.context["created"]["key"]
    token = ApiToken.objects.get(user=agent)
    assert token.name == "Usage sync"
    assert key.startswith(f"sh_{token.prefix}_")
    assert key in response.content.decode()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.prefix, token.key_hash}
    assert response["Cache-Control"].startswith("max-age=0")
    # Shown once: the list page names the token but never shows its key again.
    page = client.get(reverse("tokens:token-list")).content.decode()
    assert "Usage sync" in page and f"sh_{token.prefix}_" in page and key not in page
    assert "api_new_token" not in client.session


def test_a_reload_after_creating_creates_no_second_token(client_for, agent):
    """The browser reloads the page it was redirected to: a GET, so nothing is re-posted."""
    client = client_for("agent")
    response = client.post(reverse("tokens:token-list"), {"name": "Usage sync"})
    assert response.status_code == 302
    assert response["Location"] == reverse("tokens:token-list")

    client.get(response["Location"])
    reloaded = client.get(response["Location"])

    assert ApiToken.objects.filter(user=agent).count() == 1
    assert reloaded.context["created"] is None


def test_the_new_token_calls_the_api_as_its_user(agent):
    key = services.token_create(user=agent, name="Usage sync").key

    response = bearer(key).get(ACCOUNTS)

    assert response.status_code == 200
    assert ApiToken.objects.get(user=agent).last_used_at is not None


def test_it_requires_a_name(client_for, agent):
    response = client_for("agent").post(reverse("tokens:token-list"), {"name": " "})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_and_it_is_refused_from_then_on(client_for, agent):
    created = services.token_create(user=agent, name="Usage sync")
    assert bearer(created.key).get(ACCOUNTS).status_code == 200

    response = client_for("agent").post(reverse("tokens:token-revoke", args=[created.token.pk]))

    assert response.status_code == 302
    created.token.refresh_from_db()
    assert created.token.revoked_at is not None
    refused = bearer(created.key).get(ACCOUNTS)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "This token was revoked."}


def test_it_refuses_to_revoke_someone_elses_token(client_for, agent, other_agent):
    created = services.token_create(user=agent, name="Usage sync")

    response = client_for("other_agent").post(
        reverse("tokens:token-revoke", args=[created.token.pk])
    )

    assert response.status_code == 403
    created.token.refresh_from_db()
    assert created.token.revoked_at is None


def test_a_token_is_revoked_once(agent):
    created = services.token_create(user=agent, name="Usage sync")
    services.token_revoke(token=created.token)
    with pytest.raises(DomainError, match="revoked already"):
        services.token_revoke(token=created.token)


def test_an_admin_revokes_any_token_in_the_admin(agent):
    admin = get_user_model().objects.create_superuser("t-admin", "admin@example.com", "pw")
    created = services.token_create(user=agent, name="Usage sync")
    client = Client()
    client.force_login(admin)

    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [created.token.pk]},
    )

    assert response.status_code == 302
    created.token.refresh_from_db()
    assert created.token.revoked_at is not None
    assert bearer(created.key).get(ACCOUNTS).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer one two",
        "Bearer not-a-key",
        "Bearer sh_000000000000_secret",
        "Bearer sh_short",
        "Bearer \u00e9t\u00e9",
    ],
)
def test_a_malformed_or_unknown_key_is_401(agent, header):
    services.token_create(user=agent, name="Usage sync")
    response = Client(HTTP_AUTHORIZATION=header.encode().decode("latin-1")).get(ACCOUNTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_inactive_users_token_is_401(agent):
    key = services.token_create(user=agent, name="Usage sync").key
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert bearer(key).get(ACCOUNTS).status_code == 401


def test_a_key_never_falls_back_to_the_session(client_for, agent, world):
    """A signed-in browser that also sends a wrong key is refused, not served as the session."""
    client = client_for("agent")
    assert client.get(ACCOUNTS).status_code == 200
    assert client.get(ACCOUNTS, HTTP_AUTHORIZATION="Bearer sh_nope").status_code == 401


def test_the_session_works_with_csrf_for_writes(csm, world):
    """The browser (Swagger UI) signs in with the session; its writes need the CSRF token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(csm)
    url = f"/api/v1/kpis/{world['kpi']}/"
    body = json.dumps({"current_value": 61})
    assert client.get(url).status_code == 200

    refused = client.patch(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert ObjectiveKPI.objects.get(pk=world["kpi"]).current != 61

    client.get(reverse("tokens:token-list"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.patch(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert ObjectiveKPI.objects.get(pk=world["kpi"]).current == 61


def test_the_user_menu_links_to_the_tokens_page(client_for, agent):
    page = client_for("agent").get(reverse("password-change")).content.decode()
    assert f'href="{reverse("tokens:token-list")}"' in page


def test_a_token_acts_with_its_users_role(world):
    """The same token shape, a user without a role: every endpoint is 403."""
    assert api_client(world, "no_role_user").get(ACCOUNTS).status_code == 403


@pytest.mark.parametrize("who", ["csm", "admin", "no_role_user"])
def test_the_tokens_query_reads_what_the_model_backend_would(world, who):
    """Groups and permissions come with the token (``core.auth.access_sql``): the same sets
    ``ModelBackend`` reads, own (the admin's) and through a group (the CSM's)."""
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Group

    from api.authentication import _token_with_user
    from core.roles import user_roles

    key = world["keys"][who]
    token = _token_with_user(services.split_key(key))
    fresh = get_user_model().objects.get(pk=token.user.pk)
    assert token.user._perm_cache == ModelBackend().get_all_permissions(fresh)
    assert user_roles(token.user) == user_roles(fresh)
    if who == "admin":
        assert "engagements.add_account" in token.user._perm_cache
    if who == "csm":
        assert "successplans.add_successplan" in token.user._perm_cache
        fresh.groups.set(Group.objects.none())
        assert bearer(key).get(ACCOUNTS).status_code == 403  # from the next request on
