"""Rules for what people type about a contact, shared by the forms and the services."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Digits with the usual separators, an optional leading +, an optional extension:
# "+1 (555) 010-0200", "020 7946 0958", "555-0100 ext. 12".
_PHONE = re.compile(r"\+?[0-9][0-9 ().\-/]*(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?", re.IGNORECASE)
PHONE_MESSAGE = "Enter a phone number in digits, e.g. +1 555 010 0200 (spaces, ( ) - . allowed)."


def validate_phone(value: str) -> None:
    """A phone number has 5 to 15 digits (E.164's most) in the shapes people write."""
    text = (value or "").strip()
    if not text:
        return
    digits = sum(ch.isdigit() for ch in re.split(r"x|ext", text.lower())[0])
    if not _PHONE.fullmatch(text) or not 5 <= digits <= 15:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
