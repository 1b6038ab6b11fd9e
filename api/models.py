"""Personal API tokens: a user's named keys to the REST API, stored hashed."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A key a user created to call the API as themselves.

    The key (``sh_<prefix>_<secret>``) is shown once, when it is created; only its
    ``prefix`` (to find the row) and the SHA-256 of the whole key are kept. The secret is
    32 random bytes, so a fast hash is enough (there is nothing to guess, unlike a
    password). A revoked token stays, so its owner sees when it was revoked.
    """

    #: The prefix is the first part of the key, random too; unique so that one lookup finds it.
    PREFIX_LENGTH = 12

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “Usage sync”.")
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField("SHA-256 of the key", max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_created")]

    def __str__(self) -> str:
        return f"{self.name} (sh_{self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
