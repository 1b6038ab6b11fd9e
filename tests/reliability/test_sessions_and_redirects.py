"""Sessions and redirects: the key rotates at sign-in, sign-out ends the session on the
server, and ``next=`` only ever leads to a page of this site."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse

from successplans.models import BusinessChallenge
from successplans.views.access import safe_next
from tests.factories import PASSWORD
from tests.successplans.factories import BusinessChallengeFactory

#: Ways to write another site (or a script) that a naive "starts with /" check lets through.
OFFSITE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "/\t/evil.example/",
    " //evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver.evil.example/",
]


def test_the_session_key_rotates_at_sign_in(client, agent):
    session = client.session
    session["before"] = "anonymous visit"
    session.save()
    client.cookies["sessionid"] = session.session_key
    before = session.session_key

    response = client.post("/login/", {"username": agent.username, "password": PASSWORD})

    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()  # a fixated key is dead
    assert Session.objects.get(session_key=after).get_decoded()[SESSION_KEY] == str(agent.pk)


def test_sign_out_ends_the_session_on_the_server(client, agent):
    client.post("/login/", {"username": agent.username, "password": PASSWORD})
    stolen = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200

    client.post("/logout/")

    assert not Session.objects.filter(session_key=stolen).exists()
    replay = type(client)()
    replay.cookies["sessionid"] = stolen  # a copied cookie is worth nothing now
    response = replay.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.parametrize("target", OFFSITE)
def test_sign_in_never_redirects_off_site(client, agent, target):
    response = client.post(
        "/login/", {"username": agent.username, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response.url == "/"  # LOGIN_REDIRECT_URL instead


@pytest.mark.parametrize("target", OFFSITE)
def test_sign_in_page_with_offsite_next_in_the_query(client, agent, target):
    response = client.post(
        f"/login/?next={target}", {"username": agent.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == "/"


@pytest.mark.parametrize("target", OFFSITE)
def test_sign_out_never_redirects_off_site(client, agent, target):
    client.force_login(agent)

    response = client.post("/logout/", {"next": target})

    assert response.status_code == 302
    assert response.url == "/login/"


@pytest.mark.parametrize("target", OFFSITE)
def test_safe_next_refuses_other_sites(target):
    for request in (
        RequestFactory().get("/", {"next": target}),
        RequestFactory().post("/", {"next": target}),
    ):
        assert safe_next(request) is None


def test_safe_next_keeps_a_path_of_this_site():
    request = RequestFactory().get("/", {"next": "/tracker/?zoom=weeks"})
    assert safe_next(request) == "/tracker/?zoom=weeks"


@pytest.mark.parametrize("target", OFFSITE)
def test_deleting_a_challenge_returns_to_this_site_only(client_for, csm, target):
    challenge = BusinessChallengeFactory()

    response = client_for("csm").post(
        reverse("successplans:challenge-delete", args=[challenge.pk]) + f"?next={target}",
        {"next": target},
    )

    assert response.status_code == 302
    assert response.url == reverse("successplans:challenge-list")
    assert not BusinessChallenge.objects.filter(pk=challenge.pk).exists()


@pytest.mark.parametrize("target", OFFSITE)
def test_editing_a_challenge_returns_to_this_site_only(client_for, csm, target):
    challenge = BusinessChallengeFactory()
    page = client_for("csm").get(
        reverse("successplans:challenge-edit", args=[challenge.pk]) + f"?next={target}"
    )
    assert page.status_code == 200
    assert "evil.example" not in page.text  # not offered back as a hidden field or link
