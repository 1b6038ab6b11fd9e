"""Every write of the API app: creating, revoking and touching personal API tokens.

The same contract as the apps' services: keyword-only plain values, one transaction,
refusals as ``core.errors.DomainError``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError

from .models import ApiToken

KEY_START = "sh_"
#: ``last_used_at`` is written at most this often per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> str | None:
    """The prefix of a well-formed key (``sh_<prefix>_<secret>``), else None."""
    length = ApiToken.PREFIX_LENGTH
    start = len(KEY_START)
    if not key.startswith(KEY_START) or key[start + length : start + length + 1] != "_":
        return None
    return key[start : start + length]


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    key: str  # shown once; never stored


@transaction.atomic
def token_create(*, user, name: str) -> CreatedToken:
    """A new token for ``user``; the key is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name.", field="name")
    if not user.is_active:
        raise DomainError("An inactive user cannot create tokens.")
    prefix = secrets.token_hex(ApiToken.PREFIX_LENGTH // 2)
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, key_hash=hash_key(key))
    return CreatedToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token`` (its owner's page or an admin): every later request with it is 401."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise DomainError(f"“{locked.name}” was revoked already.")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    return locked


def token_mark_used(*, token: ApiToken) -> None:
    """Record that ``token`` was just used (at most once a minute: one UPDATE, no lock)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
