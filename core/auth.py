"""Signing in: Django's model backend, reading with the signed-in user what every page asks.

Every page loads the signed-in user, then asked three more queries of its own: the user's
permissions (two: their own and their groups') and their groups (the roles the navigation
and the home page read). Here the user's query reads them too, as two scalar subqueries of
names joined by ``SEP``, and so does the shared full names' subquery when this process's
copy is stale (``core.formatting.person``).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.db.models import TextField
from django.db.models.expressions import RawSQL

from .formatting import SEP
from .formatting import remember_shared_full_names
from .formatting import shared_full_names_are_fresh
from .formatting import shared_full_names_sql
from .roles import remember_roles


def access_sql() -> dict[str, RawSQL]:
    """``_group_names`` and ``_perm_names`` ("app_label.codename") of the user row: annotate
    a query of users, or of rows that join their user (``select_related("user")``), with
    them, and give the user to ``remember_access``."""
    q = connection.ops.quote_name
    user = get_user_model()
    me = f"{q(user._meta.db_table)}.{q(user._meta.pk.column)}"
    joined = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    member = user.groups.through._meta.db_table  # auth_user_groups
    own = user.user_permissions.through._meta.db_table  # auth_user_user_permissions
    granted = Group.permissions.through._meta.db_table  # auth_group_permissions
    groups = (
        f"SELECT {joined}(g.name, %s) FROM {q(Group._meta.db_table)} g"
        f" JOIN {q(member)} m ON m.group_id = g.id WHERE m.user_id = {me}"
    )
    perms = (
        f"SELECT {joined}(ct.app_label || '.' || p.codename, %s)"
        f" FROM {q(Permission._meta.db_table)} p"
        f" JOIN {q(ContentType._meta.db_table)} ct ON ct.id = p.content_type_id"
        f" WHERE p.id IN (SELECT up.permission_id FROM {q(own)} up WHERE up.user_id = {me}"
        f" UNION SELECT gp.permission_id FROM {q(granted)} gp"
        f" JOIN {q(member)} m ON m.group_id = gp.group_id WHERE m.user_id = {me})"
    )
    return {
        "_group_names": RawSQL(groups, (SEP,), output_field=TextField()),
        "_perm_names": RawSQL(perms, (SEP,), output_field=TextField()),
    }


def _names(joined: str | None) -> set[str]:
    return set(filter(None, (joined or "").split(SEP)))


def remember_access(user, group_names: str | None, perm_names: str | None) -> None:
    """Keeps what ``access_sql`` read where ``ModelBackend`` and ``user_roles`` look (a
    superuser's permissions are every permission, left to ``ModelBackend``)."""
    remember_roles(user, _names(group_names))
    if not user.is_superuser:
        user._perm_cache = _names(perm_names)


class PersonLabelBackend(ModelBackend):
    """``ModelBackend`` whose user load also reads the user's groups and permissions, and
    the full names users share when this process's copy of them is stale.

    What it reads is what ``ModelBackend`` and ``core.roles.user_roles`` would read at the
    same moment, kept on the user object as they keep it (``_perm_cache``; a superuser's
    permissions are every permission, left to ``ModelBackend``).
    """

    def users(self) -> QuerySet:
        """The users as a page loads them (``UnreadCountBackend`` adds the bell's count)."""
        return get_user_model()._default_manager.annotate(**access_sql())

    def get_user(self, user_id):
        stale = not shared_full_names_are_fresh()
        user = self._load(user_id, stale=stale)
        if user is None:
            return None
        if stale:
            remember_shared_full_names(user._shared_names)
        remember_access(user, user._group_names, user._perm_names)
        return user if self.user_can_authenticate(user) else None

    def _load(self, user_id, *, stale: bool):
        """The user row with ``users()``'s annotations (and the shared names when
        ``stale``), by its SQL compiled once per process and run as a raw query.

        Every request loads its user, and building and compiling this queryset (a dozen
        expressions, three subqueries) was most of what the load cost (the figures are in
        docs/performance.md, session 25).
        """
        key = (type(self), connection.alias, connection.vendor, stale)
        compiled = _COMPILED.get(key)
        if compiled is None:
            users = self.users()
            if stale:
                users = users.annotate(_shared_names=shared_full_names_sql())
            sql, params = users.filter(pk=_PROBE).query.sql_with_params()
            compiled = _COMPILED[key] = (sql, params, params.index(_PROBE))
        sql, params, at = compiled
        field = get_user_model()._meta.pk
        try:
            pk = field.to_python(user_id)
        except ValidationError:
            return None
        if pk is None:
            return None
        low, high = connection.ops.integer_field_ranges.get(field.get_internal_type(), (None, None))
        if (low is not None and pk < low) or (high is not None and pk > high):
            return None  # as the ORM: an id out of the column's range matches no row
        bound = [*params[:at], pk, *params[at + 1 :]]
        found = list(get_user_model()._default_manager.raw(sql, bound))
        return found[0] if found else None


#: The user load's SQL, compiled once per backend class, database and shared-names need
#: (``PersonLabelBackend._load``).
_COMPILED: dict[tuple, tuple[str, tuple, int]] = {}
#: A user id no row has: it marks where the id goes among the compiled query's parameters.
_PROBE = -2_123_456_789
