"""A user creates a personal API token, sees its key once, calls the API with it and
revokes it, all in the browser workspace."""

import re

from django.test import Client
from playwright.sync_api import expect

from core.roles import Role
from tests.factories import PASSWORD
from tests.factories import UserFactory


def test_a_user_creates_uses_and_revokes_an_api_token(live_server, role_groups, page, sign_in):
    UserFactory(username="t-integrator", first_name="Ira", roles=[Role.SUCCESS_AGENT])
    sign_in("t-integrator", PASSWORD)

    page.get_by_test_id("user-name").click()  # the user menu
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_text("You have no API tokens yet.")).to_be_visible()

    # Bad input: the name is required, said next to the field, nothing created.
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_text("You have no API tokens yet.")).to_be_visible()

    page.get_by_label("Name").fill("Usage sync")
    page.get_by_role("button", name="Create token").click()
    key = page.get_by_test_id("new-token-key").inner_text()
    assert re.fullmatch(r"sh_\w+_\S+", key), key
    # The POST was answered with a redirect: reloading shows the list, creates nothing more.
    page.reload()
    expect(page.get_by_test_id("new-token-key")).to_have_count(0)
    expect(page.get_by_role("cell", name="Usage sync", exact=True)).to_have_count(1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert Client().get("/api/v1/accounts/", **headers).status_code == 200

    # Shown once: opened again, the list names the token, never its key.
    page.goto(f"{live_server.url}/api/tokens/")
    expect(page.get_by_role("cell", name="Usage sync", exact=True)).to_be_visible()
    assert key not in page.content()

    page.get_by_role("button", name="Revoke Usage sync").click()
    expect(page.get_by_text("is revoked: requests with it are refused.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("^Revoked"))).to_be_visible()
    assert Client().get("/api/v1/accounts/", **headers).status_code == 401
