import pytest

from core.roles import Role
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_users_list_shows_roles_and_filters_by_role(admin_client):
    UserFactory(username="alice", roles=[Role.SUCCESS_AGENT])
    UserFactory(username="bob", roles=[Role.PARTICIPANT])
    response = admin_client.get("/admin/auth/user/", {"role": "Success Agent"})
    assert response.status_code == 200
    rows = [u.username for u in response.context["cl"].result_list]
    assert rows == ["alice"]
    assert "Success Agent" in response.text


def test_the_groups_list_shows_the_four_roles(admin_client):
    response = admin_client.get("/admin/auth/group/")
    names = {g.name for g in response.context["cl"].result_list}
    assert names >= {r.value for r in Role}


def test_a_role_group_page_shows_its_permissions(admin_client):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=Role.PARTICIPANT)
    response = admin_client.get(f"/admin/auth/group/{group.pk}/change/")
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["permissions"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/engagements/account/",
        "/admin/engagements/engagement/",
        "/admin/engagements/resource/",
    ],
)
def test_engagement_admin_lists_work_with_search(admin_client, url):
    EngagementFactory(account=AccountFactory(name="Northwind"))
    ResourceFactory()
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "north"}).status_code == 200


def test_roles_cannot_open_the_admin(client, agent):
    client.force_login(agent)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
