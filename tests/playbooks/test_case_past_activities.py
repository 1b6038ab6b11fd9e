"""Past activities stay readable (issue 12, item 9): each completed activity opens a
read-only view of what was entered; Details show the intended outcome, action plan and
final outcome."""

import re

from playbooks import services
from playbooks.models import JournalEntry

from .conftest import complete_current
from .conftest import work_until


def card(html: str, name: str) -> str:
    """The lane item of activity ``name`` (its name, badge and what was entered)."""
    match = re.search(rf"<span>{re.escape(name)}</span>(.*?)</li>", html, re.S)
    assert match, name
    return match.group(1)


def outcomes(html: str) -> list[str]:
    return [t.strip() for t in re.findall(r'data-testid="outcome">(.*?)</dd>', html, re.S)]


def test_completed_activities_show_what_was_entered(client_for, agent, open_case):
    work_until(open_case, agent, "Define the action plan")
    complete_current(open_case, agent, text="Train the leads, then the floor.")
    # A later comment from the stream's compose box is not the activity's text.
    services.journal_post(case_pk=open_case.pk, user=agent, kind="comment", text="Unrelated")
    html = client_for("csm").get(open_case.get_absolute_url()).text

    intended = card(html, "Communicate the intended outcome")
    assert "View what was entered" in intended
    assert "Comment — customer visible</dt><dd>We expect 80% weekly active users." in intended
    assert "Unrelated" not in intended
    plan = card(html, "Define the action plan")
    assert "Work note — internal</dt><dd>Train the leads, then the floor." in plan
    core = card(html, "Enter core information")
    assert "Drive adoption of the warehouse module" in core and "2 - High" in core
    assert "View what was entered" not in card(html, "Related meeting")  # not done yet

    assert outcomes(html) == [
        "We expect 80% weekly active users.",
        "Train the leads, then the floor.",
        "—",
    ]


def test_the_final_outcome_shows_once_communicated(client_for, agent, open_case):
    work_until(open_case, agent, "Communicate the final outcome")
    complete_current(open_case, agent, text="Weekly active users at 84%.")
    html = client_for("agent").get(open_case.get_absolute_url()).text
    assert outcomes(html)[2] == "Weekly active users at 84%."
    entry = JournalEntry.objects.get(body="Weekly active users at 84%.")
    assert entry.activity.name == "Communicate the final outcome"
