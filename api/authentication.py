"""``Authorization: Bearer <key>``: a personal API token acts as its user."""

from __future__ import annotations

import hmac

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication
from rest_framework import exceptions

from core.auth import access_sql
from core.auth import remember_access
from core.formatting import remember_shared_full_names
from core.formatting import shared_full_names_are_fresh
from core.formatting import shared_full_names_sql

from . import services
from .models import ApiToken


def _token_with_user(prefix: str) -> ApiToken | None:
    """The token and its user in one query; like ``core.auth.PersonLabelBackend`` (the
    session's user load), it reads the user's groups and permissions with them, and the full
    names users share when this process's copy is stale, so that neither the permission
    checks nor people's labels in an answer cost a query of their own."""
    tokens = ApiToken.objects.select_related("user").annotate(**access_sql())
    fresh = shared_full_names_are_fresh()
    if not fresh:
        tokens = tokens.annotate(_shared_names=shared_full_names_sql())
    token = tokens.filter(prefix=prefix).first()
    if token is None:
        return None
    if not fresh:
        remember_shared_full_names(token._shared_names)
    remember_access(token.user, token._group_names, token._perm_names)
    return token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Reads ``Authorization: Bearer sh_...``; no such header: the next class (the session).

    An unknown, malformed or revoked key, or one of an inactive user, is a 401, never a
    fallback to the session: a client that sends a key means that key.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as: Authorization: Bearer <key>."
            )
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        prefix = services.split_key(key)
        token = _token_with_user(prefix) if prefix else None
        if token is None or not hmac.compare_digest(token.key_hash, services.hash_key(key)):
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token was revoked.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token's user is inactive.")
        services.token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated request a 401 (with this challenge), not a 403.
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Tells drf-spectacular how the schema describes the token (an HTTP bearer scheme)."""

    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from the API tokens page: `Bearer sh_...`.",
        }
