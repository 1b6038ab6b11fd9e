"""The one way a view reports a service call to the user: Django's messages framework."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from .errors import DomainError


def attempt(
    request: HttpRequest, service: Callable, /, *, success: str | Callable[[Any], str], **kwargs
) -> bool:
    """Call ``service(**kwargs)``; tell the user its refusal (the DomainError's message) or
    ``success`` (a text, or a function of what the service returned). True when it ran."""
    try:
        result = service(**kwargs)
    except DomainError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True
