"""Signing in: Django's model backend, reading the people labels' namesakes on the way."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .formatting import remember_shared_full_names
from .formatting import shared_full_names_are_fresh
from .formatting import shared_full_names_sql


class PersonLabelBackend(ModelBackend):
    """``ModelBackend`` whose user load also reads the full names users share.

    A person is labelled with their username only where two active users share a
    full name (``core.formatting.person``). Every page loads the signed-in user;
    when this process's copy of the shared names is stale, that same query reads
    them too (a scalar subquery), so no page spends a query of its own on labels.
    """

    def get_user(self, user_id):
        if shared_full_names_are_fresh():
            return super().get_user(user_id)
        users = get_user_model()._default_manager.annotate(_shared_names=shared_full_names_sql())
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        remember_shared_full_names(user._shared_names)
        return user if self.user_can_authenticate(user) else None
