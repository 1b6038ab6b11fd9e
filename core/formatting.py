"""How SuccessHub writes durations and people, in one place (pages, CSV and charts alike)."""

from __future__ import annotations

import functools
import time
from datetime import date as date_type
from datetime import datetime
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.template.defaultfilters import date as django_date
from django.utils import timezone
from django.utils import translation
from django.utils.dates import MONTHS_3

NONE = "—"

#: Seconds the shared full names are kept (other processes see a new namesake this late).
SHARED_NAMES_TTL = 60.0
_shared_names: tuple[float, frozenset[str]] | None = None
#: Joins the shared names in the query (a character no name holds).
SEP = "\x1f"


def hours(value: timedelta | None, *, places: int = 1, none: str = NONE) -> str:
    """A duration in hours ("52.3"; ``places=2`` for the CSV export), ``none`` when missing."""
    if value is None:
        return none
    return f"{value.total_seconds() / 3600:.{places}f}"


def duration(value: timedelta | None) -> str:
    """Days from two days on ("9.4 days"), hours below ("26.5 hours"); an em dash for none."""
    if value is None:
        return NONE
    in_hours = value.total_seconds() / 3600
    if in_hours >= 48:
        return f"{in_hours / 24:.1f} days"
    return f"{in_hours:.1f} hours"


def shared_full_names_sql() -> RawSQL:
    """A scalar subquery: the full names two or more active users share, joined by ``SEP``.

    ``core.auth.PersonLabelBackend`` adds it to the query that loads the signed-in user,
    so a page learns the namesakes without a query of its own.
    """
    user = get_user_model()
    table = connection.ops.quote_name(user._meta.db_table)
    joined = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    name = "TRIM(u.first_name || ' ' || u.last_name)"
    return RawSQL(
        f"SELECT {joined}(s.name, %s) FROM (SELECT {name} AS name, COUNT(*) AS n"
        f" FROM {table} u WHERE u.is_active GROUP BY {name}) s"
        " WHERE s.n > 1 AND s.name <> ''",
        (SEP,),
        output_field=TextField(),
    )


def shared_full_names_are_fresh() -> bool:
    return _shared_names is not None and time.monotonic() - _shared_names[0] <= SHARED_NAMES_TTL


def remember_shared_full_names(joined: str | None) -> None:
    """Keep what ``shared_full_names_sql`` read (``None``: nobody shares a name)."""
    global _shared_names
    _shared_names = (time.monotonic(), frozenset(filter(None, (joined or "").split(SEP))))


def shared_full_names() -> frozenset[str]:
    """The full names two or more active users share.

    Read with the signed-in user on every request whose copy is older than
    ``SHARED_NAMES_TTL`` (``core.auth.PersonLabelBackend``), so pages pay no query for
    it; elsewhere (commands, API tokens) one query, then kept as long. A user saved or
    deleted in this process drops the copy at once (``CoreConfig.ready``).
    """
    if not shared_full_names_are_fresh():
        subquery = shared_full_names_sql()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ({subquery.sql})", subquery.params)
            remember_shared_full_names(cursor.fetchone()[0])
    return _shared_names[1]


def forget_shared_full_names(**kwargs) -> None:
    global _shared_names
    _shared_names = None


def badge_class(value: str) -> str:
    """CSS classes of a status badge for its label; the badge always shows its text too."""
    return "badge badge-" + str(value or "none").lower().replace(" ", "-").replace("_", "-")


def person(user) -> str:
    """A user's label everywhere (pages, filters, CSV): the full name, with the username
    where two active users share that name ("Sam Rivera (sam1)"); the username when there
    is no name; an em dash when there is nobody."""
    if user is None:
        return NONE
    return person_label(user.get_full_name(), user.get_username())


def person_label(full_name: str, username: str) -> str:
    """``person`` from the parts, for rows read as values (the CSV export)."""
    name = full_name.strip()
    if not name:
        return username
    if name in shared_full_names():
        return f"{name} ({username})"
    return name


def person_in(row: dict, prefix: str) -> str:
    """``person`` of the user a ``values()`` row holds as ``<prefix>__username``,
    ``__first_name`` and ``__last_name`` (an em dash when there is none)."""
    username = row[f"{prefix}__username"]
    if username is None:
        return NONE
    return person_label(f"{row[f'{prefix}__first_name']} {row[f'{prefix}__last_name']}", username)


def person_fields(prefix: str) -> tuple[str, ...]:
    """What ``person_in`` reads from a ``values()`` row."""
    return tuple(f"{prefix}__{part}" for part in ("username", "first_name", "last_name"))


def local_day(moment, fmt: str = "M j, Y") -> str:
    """What ``{{ moment|date:fmt }}`` prints in a template: an aware moment in the current
    time zone; empty for none."""
    if moment is None:
        return ""
    if isinstance(moment, datetime) and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return short_date(moment, fmt)


def _hm(value) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


#: The formats of Django's ``date`` filter built here from the fields (``short_date``).
_FAST_DATES = {
    "M j, Y": lambda d, m: f"{m[d.month]} {d.day}, {d.year:04d}",
    "M j": lambda d, m: f"{m[d.month]} {d.day}",
    "Y-m-d": lambda d, m: f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
}
_FAST_DATETIMES = {
    "M j, Y H:i": lambda d, m: f"{m[d.month]} {d.day}, {d.year:04d} {_hm(d)}",
    "M j, H:i": lambda d, m: f"{m[d.month]} {d.day}, {_hm(d)}",
}


@functools.lru_cache(maxsize=32)
def _month_abbreviations(language: str) -> tuple[str, ...]:
    """Django's "M": the translated three-letter month, title-cased (index 1 to 12)."""
    with translation.override(language):
        return ("", *(str(MONTHS_3[month]).title() for month in range(1, 13)))


def short_date(value, fmt: str | None) -> str:
    """What Django's ``date`` filter gives, built from the fields for the list formats."""
    build = None
    if isinstance(value, datetime):
        build = _FAST_DATETIMES.get(fmt) or _FAST_DATES.get(fmt)
    elif isinstance(value, date_type):
        build = _FAST_DATES.get(fmt)
    if build is None:
        return django_date(value, fmt)
    return build(value, _month_abbreviations(translation.get_language() or "en"))
