"""Copies of rows: a new row of a model made from another row's (or a draft's) values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def copy_of(model: type[M], source: object, fields: Iterable[str], **values) -> M:
    """A new, unsaved ``model`` row whose ``fields`` hold ``source``'s values of the same names
    (``source`` is a row or a draft with those attributes) and ``values`` the rest (the new
    row's parent, typically). Saving is the caller's, usually one ``bulk_create``."""
    return model(**{name: getattr(source, name) for name in fields}, **values)
