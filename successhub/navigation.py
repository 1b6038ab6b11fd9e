"""The workspace's top navigation, in one place.

Each entry names the permission that opens its page, and the page's view
checks that same permission, so a link is shown exactly to the users who may
follow it. Entries whose page is not built yet (its URL name does not resolve)
are left out rather than shown as dead links.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str


NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("Success Cases", "playbooks:case-list", "playbooks.view_successcase"),
    NavEntry("Success Plans", "successplans:plan-list", "successplans.view_successplan"),
    NavEntry("Success Tracker", "successplans:tracker", "successplans.view_successplan"),
    NavEntry(
        "Business Challenges", "successplans:challenge-list", "successplans.view_businesschallenge"
    ),
    NavEntry("Accounts", "engagements:account-list", "engagements.view_account"),
    NavEntry("Engagements", "engagements:engagement-list", "engagements.view_engagement"),
    NavEntry("Review", "playbooks:review", "playbooks.review_successcase"),
)


def nav_for(user) -> list[dict[str, str]]:
    """The entries ``user`` may use, as ``{"label", "url"}`` dicts, in menu order."""
    if not user.is_authenticated:
        return []
    items = []
    for entry in NAVIGATION:
        if not user.has_perm(entry.permission):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url})
    return items
