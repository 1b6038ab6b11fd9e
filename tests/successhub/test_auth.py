from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD


def test_the_sign_in_page_renders(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "Sign in" in response.text


def test_signing_in_goes_to_next(client, agent):
    response = client.post(
        "/login/", {"username": agent.username, "password": PASSWORD, "next": "/accounts/"}
    )
    assert response.status_code == 302
    assert response.url == "/accounts/"
    assert client.session[SESSION_KEY] == str(agent.pk)


def test_a_wrong_password_is_explained_on_the_form(client, agent):
    response = client.post("/login/", {"username": agent.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert SESSION_KEY not in client.session


def test_sign_out_is_a_post(client, agent):
    client.force_login(agent)
    assert client.get("/logout/").status_code == 405
    assert SESSION_KEY in client.session
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response.url == "/login/"
    assert SESSION_KEY not in client.session


def test_static_assets_are_local(client, agent):
    client.force_login(agent)
    html = client.get("/").text
    assert "/static/vendor/htmx-2.0.11.min.js" in html
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
