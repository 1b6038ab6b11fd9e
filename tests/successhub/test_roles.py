from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission

from core.roles import ROLE_PERMISSIONS
from core.roles import Role
from core.roles import sync_role_groups
from core.roles import user_roles
from tests.factories import UserFactory


def perms_of(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_four_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "Success Agent",
        "Customer Success",
        "Participant",
        "Success Manager",
    }


def test_each_group_holds_exactly_its_declared_permissions(db):
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    for role, wanted in ROLE_PERMISSIONS.items():
        declared = {f"{app}.{codename}" for app, codename in wanted}
        # A declared permission of a model that is not built yet is skipped.
        assert perms_of(role) == declared & existing
        assert "engagements.view_account" in perms_of(role)
    assert "engagements.view_account" in perms_of(Role.PARTICIPANT)
    assert "engagements.change_account" not in perms_of(Role.PARTICIPANT)


def test_sync_restores_permissions_an_admin_removed_and_is_idempotent(db):
    from django.apps import apps

    group = Group.objects.get(name=Role.SUCCESS_AGENT)
    group.permissions.clear()
    group.permissions.add(Permission.objects.get(codename="delete_account"))
    sync_role_groups(apps)
    sync_role_groups(apps)
    assert Group.objects.filter(name=Role.SUCCESS_AGENT).count() == 1
    assert "engagements.delete_account" not in perms_of(Role.SUCCESS_AGENT)
    assert "engagements.view_account" in perms_of(Role.SUCCESS_AGENT)


def test_user_roles_lists_only_successhub_roles_in_a_fixed_order(db):
    Group.objects.create(name="Billing")
    user = UserFactory(roles=[Role.SUCCESS_MANAGER, Role.SUCCESS_AGENT, "Billing"])
    assert user_roles(user) == ["Success Agent", "Success Manager"]
