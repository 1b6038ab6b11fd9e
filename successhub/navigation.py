"""The workspace's top navigation, in one place.

Each entry names the permission that opens its page, and the page's view
checks that same permission, so a link is shown exactly to the users who may
follow it. Entries whose page is not built yet (its URL name does not resolve)
are left out rather than shown as dead links.

An entry is the current one (``aria-current="page"``) on every page of its
section: its own URL and the pages under it, plus the pages it names in
``also`` that live under another path (a plan's objectives and KPIs).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch
from django.urls import reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str
    # Path prefixes of pages that belong to this section but not under its URL.
    also: tuple[str, ...] = ()


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("Success Cases", "playbooks:case-list", "playbooks.view_successcase"),
    NavEntry(
        "Success Plans",
        "successplans:plan-list",
        "successplans.view_successplan",
        also=("/objectives/", "/kpis/", "/plan-activities/", "/plan-playbooks/", "/plan-tasks/"),
    ),
    NavEntry("Success Tracker", "successplans:tracker", "successplans.view_successplan"),
    NavEntry(
        "Business Challenges", "successplans:challenge-list", "successplans.view_businesschallenge"
    ),
    NavEntry("Accounts", "engagements:account-list", "engagements.view_account"),
    NavEntry("Engagements", "engagements:engagement-list", "engagements.view_engagement"),
    NavEntry("Review", "playbooks:review", "playbooks.review_successcase"),
)


def _under(path: str, prefix: str) -> int:
    """How long a section prefix ``path`` is under (0: not under it).

    Whole path segments only: "/cases/" covers "/cases/SCS1/" but not
    "/cases-other/", and the root "/" covers only itself.
    """
    if path == prefix:
        return len(prefix)
    if prefix == "/":
        return 0
    stem = prefix if prefix.endswith("/") else prefix + "/"
    return len(prefix) if path.startswith(stem) else 0


def nav_for(user, path: str | None = None) -> list[dict]:
    """The entries ``user`` may use, as ``{"label", "url", "current"}`` dicts, in menu order.

    ``current`` is true for at most one entry: the one whose section ``path``
    (the request's path) is in; the longest match wins where sections nest.
    """
    if not user.is_authenticated:
        return []
    visible = []
    for entry in NAVIGATION:
        if not user.has_perm(entry.permission):
            continue
        try:
            visible.append((entry, reverse(entry.url_name)))
        except NoReverseMatch:
            continue
    matches = [
        max(_under(path, prefix) for prefix in (url, *entry.also)) if path else 0
        for entry, url in visible
    ]
    best = max(matches, default=0)
    current = matches.index(best) if best else None
    return [
        {"label": entry.label, "url": url, "current": index == current}
        for index, (entry, url) in enumerate(visible)
    ]
