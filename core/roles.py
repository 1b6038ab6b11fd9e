"""The four SuccessHub roles and what each may do.

A role is a Django group with the exact name below. Its model permissions are
declared here, in one place, and written to the database by data migrations
(``sync_role_groups``), so an admin sees them in the Django admin and can
adjust them there. Pages check *permissions* (``user.has_perm``), never group
names, so an admin's change in the admin takes effect everywhere.

Superusers hold every permission, so they see every page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class Role(models.TextChoices):
    SUCCESS_AGENT = "Success Agent", "Success Agent"
    CUSTOMER_SUCCESS = "Customer Success", "Customer Success"
    PARTICIPANT = "Participant", "Participant"
    SUCCESS_MANAGER = "Success Manager", "Success Manager"


# (app_label, codename) pairs per role. A pair whose model does not exist yet
# is skipped by ``sync_role_groups``; later migrations call it again once the
# model is there, so this table grows with the apps.
_VIEW_ENGAGEMENTS = [
    ("engagements", "view_account"),
    ("engagements", "view_engagement"),
    ("engagements", "view_resource"),
]

_VIEW_CASES = [
    ("playbooks", "view_successcase"),
    ("playbooks", "view_caseactivity"),
    ("playbooks", "view_meeting"),
    ("playbooks", "view_casetask"),
    ("playbooks", "view_journalentry"),
    ("playbooks", "view_closurecode"),
]
# Working a case (its activities, meetings, tasks, comments and work notes) is
# "change success case", further limited to the assignee and the squad.
_WORK_CASES = [
    ("playbooks", "add_successcase"),
    ("playbooks", "change_successcase"),
    ("playbooks", "add_meeting"),
    ("playbooks", "change_meeting"),
    ("playbooks", "add_casetask"),
    ("playbooks", "change_casetask"),
    ("playbooks", "add_journalentry"),
]

# Managers review closed and canceled cases (the Review workspace).
_REVIEW_CASES = [("playbooks", "review_successcase")]

# Success plans and their children (Certinia's "CSC - Customer Success" may view,
# create, edit and delete them; "CSC - Participant User" may view them).
_PLAN_MODELS = [
    "successplan",
    "objective",
    "objectivekpi",
    "kpivalue",
    "playbook",
    "playbooktask",
    "businesschallenge",
    "csactivity",
]
_PLAN_REFERENCE_MODELS = ["recordtype", "challengecategory"]  # managed by admins
_VIEW_PLANS = [("successplans", f"view_{model}") for model in _PLAN_MODELS + _PLAN_REFERENCE_MODELS]
_MANAGE_PLANS = [
    ("successplans", f"{action}_{model}")
    for model in _PLAN_MODELS
    for action in ("add", "change", "delete")
]

# The Account 360 (issue 15): Customer Success edits an account's facts and contacts, logs
# activities on its timeline, sets manual health measures and overrides scores; the others
# read them with view_account. Measures and thresholds are the admins' (the Django admin).
_MANAGE_ACCOUNTS = [
    ("engagements", "change_account"),
    ("engagements", "add_contact"),
    ("engagements", "change_contact"),
    ("engagements", "add_accountactivity"),
    ("health", "add_manualvalue"),
    ("health", "add_override"),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.SUCCESS_AGENT: [*_VIEW_ENGAGEMENTS, *_VIEW_CASES, *_WORK_CASES, *_VIEW_PLANS],
    Role.CUSTOMER_SUCCESS: [
        *_VIEW_ENGAGEMENTS,
        *_VIEW_CASES,
        *_VIEW_PLANS,
        *_MANAGE_PLANS,
        *_MANAGE_ACCOUNTS,
    ],
    Role.PARTICIPANT: [*_VIEW_ENGAGEMENTS, *_VIEW_CASES, *_VIEW_PLANS],
    Role.SUCCESS_MANAGER: [*_VIEW_ENGAGEMENTS, *_VIEW_CASES, *_REVIEW_CASES, *_VIEW_PLANS],
}


def user_roles(user) -> list[str]:
    """Names of the SuccessHub roles ``user`` holds, cached on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_successhub_roles", None)
    if cached is None:
        cached = remember_roles(user, set(user.groups.values_list("name", flat=True)))
    return cached


def remember_roles(user, group_names: set[str]) -> list[str]:
    """Keep on ``user`` the roles among ``group_names`` (read with the user by
    ``core.auth.PersonLabelBackend``, so pages spend no query on them)."""
    user._successhub_roles = [role.value for role in Role if role.value in group_names]
    return user._successhub_roles


def has_any_role(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user_roles(user)))


def sync_role_groups(apps, schema_editor=None, roles: Iterable[str] | None = None) -> None:
    """Create the role groups and give them exactly the permissions above.

    Meant for data migrations: it uses the historical ``apps`` registry and
    first creates any permissions that ``post_migrate`` has not made yet (it
    only runs after the whole ``migrate`` command).
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in roles or ROLE_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = ROLE_PERMISSIONS[role]
        perms = [
            perm
            for perm in Permission.objects.filter(
                codename__in={codename for _, codename in wanted}
            ).select_related("content_type")
            if (perm.content_type.app_label, perm.codename) in wanted
        ]
        group.permissions.set(perms)
