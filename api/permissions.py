"""Who may call an endpoint: the model permissions the roles grant, as the pages check them.

Reading needs the model's ``view`` permission (every role has them for accounts,
engagements, cases and plans), changing its ``change`` permission (KPIs: Customer
Success). Who may read *which* rows is the selectors' business: the pages show every
role all accounts, cases and plans, and so does the API.
"""

from __future__ import annotations

from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class ReadPermission(ModelPermissions):
    """Every method needs the ``view`` permission only: an action that checks its own rule
    (a case's assignee and squad, ``can_work_case``) once it has found the object."""

    perms_map = {method: ModelPermissions.perms_map["GET"] for method in ModelPermissions.perms_map}
