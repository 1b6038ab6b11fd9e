"""core.auth.PersonLabelBackend reads the signed-in user's groups and permissions in the
user's own query: a page spends two queries on who is signing in (the session and the user),
and what it reads is what Django's ModelBackend reads, fresh on every request."""

from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.auth import PersonLabelBackend
from core.roles import Role
from core.roles import user_roles
from tests.factories import UserFactory

CASES = reverse("playbooks:case-list")


def _auth_tables(queries) -> list[str]:
    """The queries that read the session, groups or permissions on their own."""
    names = ("django_session", '"auth_group"', '"auth_permission"', "auth_user_groups")
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and not q["sql"].startswith('SELECT "auth_user"."id"')
        if any(name in q["sql"].split(" FROM ", 1)[-1][:60] for name in names)
    ]


def test_a_page_reads_groups_and_permissions_with_the_user(client_for, agent):
    client = client_for("agent")
    client.get(CASES)  # the shared names are read once a while; not the point here
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CASES).status_code == 200
    assert len(_auth_tables(queries.captured_queries)) == 1  # the session only
    user_query = next(
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "auth_user"')
    )
    assert "auth_user_groups" in user_query and "auth_permission" in user_query


def test_what_it_reads_is_what_the_model_backend_reads(db):
    user = UserFactory(roles=[Role.SUCCESS_AGENT, Role.SUCCESS_MANAGER])
    user.user_permissions.add(Permission.objects.get(codename="view_contact"))
    Group.objects.create(name="Not a role").user_set.add(user)

    loaded = PersonLabelBackend().get_user(user.pk)

    fresh = type(user).objects.get(pk=user.pk)  # read by Django's ModelBackend
    assert loaded.get_all_permissions() == fresh.get_all_permissions()
    assert "engagements.view_contact" in loaded.get_all_permissions()
    assert user_roles(loaded) == user_roles(fresh) == ["Success Agent", "Success Manager"]


def test_a_user_without_groups_or_permissions_has_none(db):
    loaded = PersonLabelBackend().get_user(UserFactory().pk)
    assert loaded.get_all_permissions() == set()
    assert user_roles(loaded) == []


def test_a_superuser_keeps_every_permission(db):
    loaded = PersonLabelBackend().get_user(UserFactory(is_superuser=True).pk)
    assert loaded.has_perm("playbooks.delete_successcase")
    assert len(loaded.get_all_permissions()) == Permission.objects.count()


def test_a_change_to_the_groups_counts_from_the_next_request(client_for, agent):
    client = client_for("agent")
    assert client.get(CASES).status_code == 200
    agent.groups.clear()
    assert client.get(CASES).status_code == 403
    agent.groups.add(Group.objects.get(name=Role.SUCCESS_AGENT))
    assert client.get(CASES).status_code == 200


def test_an_inactive_or_missing_user_is_not_loaded(db):
    backend = PersonLabelBackend()
    assert backend.get_user(UserFactory(is_active=False).pk) is None
    assert backend.get_user(987654) is None


def test_an_id_the_column_cannot_hold_or_a_malformed_one_loads_nobody(db):
    backend = PersonLabelBackend()
    for user_id in (2**31, -(2**31) - 1, 2**63, "abc", "", None):
        assert backend.get_user(user_id) is None, user_id
    assert backend.get_user(str(UserFactory().pk)) is not None  # the session keeps a string


def test_the_user_load_is_compiled_once_and_reads_fresh_rows(db, monkeypatch):
    """The load's SQL is built once per process (``core.auth._COMPILED``); what it returns
    is each request's current row: a renamed user reads the new name at once."""
    from core import auth
    from core.formatting import forget_shared_full_names

    user = UserFactory(first_name="Ada", last_name="Lovelace")
    backend = PersonLabelBackend()
    for stale in (True, False):  # with and without the shared names' subquery
        if stale:
            forget_shared_full_names()
        assert backend.get_user(user.pk).get_full_name() == "Ada Lovelace"

    def build_again(self):
        raise AssertionError("the user query is compiled again")

    monkeypatch.setattr(PersonLabelBackend, "users", build_again)
    type(user).objects.filter(pk=user.pk).update(first_name="Grace")
    forget_shared_full_names()
    loaded = backend.get_user(user.pk)
    assert loaded.get_full_name() == "Grace Lovelace" and loaded._state.db == "default"
    assert {key[3] for key in auth._COMPILED if key[0] is PersonLabelBackend} == {True, False}
