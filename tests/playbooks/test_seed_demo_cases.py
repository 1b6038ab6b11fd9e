"""seed_demo's success cases: every phase, several weeks of closed cases, idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from playbooks.models import ActivityState
from playbooks.models import CaseTask
from playbooks.models import JournalEntry
from playbooks.models import Meeting
from playbooks.models import Phase
from playbooks.models import PlaybookState
from playbooks.models import SuccessCase


def seed(password: str = "demo-secret-1") -> None:
    call_command("seed_demo", password=password, stdout=StringIO())


@pytest.fixture
def seeded(seeded_demo):
    """The demo's cases, seeded once for the module (see ``seeded_demo``)."""
    return SuccessCase.objects.select_related("engagement", "assigned_to", "closure_code")


def test_it_seeds_cases_in_every_phase(seeded):
    phases = Counter(seeded.values_list("phase", flat=True))
    assert phases[Phase.INITIATE] >= 2
    assert phases[Phase.ASSIST] >= 2
    assert phases[Phase.REVIEW_CLOSE] >= 1
    assert phases[Phase.CLOSED] >= 8
    assert phases[Phase.CANCELED] == 2


def test_closed_cases_spread_over_several_weeks_with_varied_closure_codes(seeded):
    closed = seeded.filter(phase=Phase.CLOSED)
    assert closed.values("closure_code").distinct().count() >= 3
    weeks = {case.closed_at.isocalendar()[:2] for case in closed}
    assert len(weeks) >= 3
    now = timezone.now()
    for case in closed:
        assert case.opened_at < case.closed_at < now
        assert case.close_notes and case.closed_by == case.assigned_to
        assert case.state_label == "Closed" and case.progress_label == "Completed"
        if case.playbook_state == PlaybookState.COMPLETED:
            assert not case.activities.exclude(state=ActivityState.COMPLETE).exists()
    assert min(case.opened_at for case in closed) < now - timedelta(days=28)


def test_one_case_was_closed_early(seeded):
    """Closed at Related meeting: its pending activities, lanes and meeting are canceled."""
    (case,) = seeded.filter(phase=Phase.CLOSED, playbook_state=PlaybookState.CANCELED)
    assert case.closed_early and case.closure_code.name == "Outcome achieved"
    assert case.activities.filter(state=ActivityState.CANCELED).exists()
    assert case.meetings.get().state == "canceled"
    assert [lane.state for lane in case.lanes()] == ["Complete", "Canceled", "Canceled"]


def test_the_journal_follows_each_case_timeline(seeded):
    for case in seeded:
        entries = list(JournalEntry.objects.filter(case=case).order_by("pk"))
        times = [entry.created_at for entry in entries]
        assert times == sorted(times), case.number
        assert times[0] == case.opened_at, case.number
        if case.closed_at:
            # The work ends when the case closes; a manager's review comes later.
            worked = [e.created_at for e in entries if e.field != "Reviewed"]
            assert worked[-1] == case.closed_at, case.number
        assert entries[-1].created_at <= timezone.now()
        completed = case.activities.exclude(completed_at=None).values_list(
            "completed_at", flat=True
        )
        assert all(case.opened_at <= when <= times[-1] for when in completed), case.number


def test_cases_are_worked_by_the_demo_agents_on_open_engagements(seeded):
    assert set(seeded.values_list("assigned_to__username", flat=True)) == {"agent", "agent2"}
    for case in seeded.filter(phase__in=[Phase.INITIATE, Phase.ASSIST, Phase.REVIEW_CLOSE]):
        assert case.engagement.is_open, case.number
    squads = [set(case.squad.values_list("username", flat=True)) for case in seeded]
    assert any({"agent", "agent2", "csm"} <= squad for squad in squads)
    described = seeded.exclude(short_description="")
    assert described.filter(short_description="Drive adoption of the warehouse module").exists()
    assert described.count() >= seeded.count() - 1


def test_open_cases_wait_on_open_meetings_and_tasks(seeded):
    assist = seeded.filter(phase=Phase.ASSIST)
    assert Meeting.objects.filter(case__in=assist, state__in=["draft", "scheduled"]).exists()
    assert CaseTask.objects.filter(
        case__in=assist, state__in=["new", "in_progress", "paused"]
    ).exists()
    # One case in Review & Close has every activity done and waits for Close success case.
    waiting = [
        case
        for case in seeded.filter(phase=Phase.REVIEW_CLOSE)
        if not case.activities.exclude(state=ActivityState.COMPLETE).exists()
    ]
    assert len(waiting) == 1


def test_canceled_cases_have_a_reason_and_nothing_left_open(seeded):
    for case in seeded.filter(phase=Phase.CANCELED):
        assert case.cancel_reason and case.closed_at
        assert not case.activities.filter(state__in=["pending", "in_progress"]).exists()
        assert not case.meetings.filter(state__in=["draft", "scheduled"]).exists()
        assert not case.tasks.filter(state__in=["new", "in_progress", "paused"]).exists()


def test_running_it_again_adds_no_cases(seeded):
    counts = (
        SuccessCase.objects.count(),
        JournalEntry.objects.count(),
        Meeting.objects.count(),
        CaseTask.objects.count(),
    )
    seed(password="demo-secret-2")
    assert counts == (
        SuccessCase.objects.count(),
        JournalEntry.objects.count(),
        Meeting.objects.count(),
        CaseTask.objects.count(),
    )
    assert sorted(SuccessCase.objects.values_list("number", flat=True))[0] == "SCS0001001"


def test_the_manager_has_reviewed_two_closed_cases(seeded):
    reviewed = seeded.filter(reviewed_at__isnull=False)
    assert reviewed.count() == 2
    assert seeded.filter(phase=Phase.CLOSED, reviewed_at=None).exists()  # both kinds to filter
    for case in reviewed:
        assert case.phase == Phase.CLOSED
        assert case.reviewed_by.username == "manager" and case.review_note
        assert case.closed_at < case.reviewed_at <= timezone.now()
        assert case.journal.filter(field="Reviewed", created_at=case.reviewed_at).count() == 1


def test_cases_seeded_before_reviews_existed_get_them_on_the_next_run(seeded):
    JournalEntry.objects.filter(field="Reviewed").delete()
    SuccessCase.objects.update(reviewed_at=None, reviewed_by=None, review_note="")
    seed(password="demo-secret-3")
    assert SuccessCase.objects.filter(reviewed_at__isnull=False).count() == 2
    assert JournalEntry.objects.filter(field="Reviewed").count() == 2


def test_the_demo_has_three_playbooks_and_cases_of_each(seeded):
    from playbooks.models import PlaybookDefinition

    assert list(PlaybookDefinition.objects.order_by("name").values_list("name", "is_default")) == [
        ("Onboarding play", False),
        ("Renewal play", False),
        ("Success case playbook", True),
    ]
    used = Counter(seeded.values_list("playbook_version__definition__name", flat=True))
    assert used["Onboarding play"] == 2 and used["Renewal play"] == 1
    renewal = seeded.get(playbook_version__definition__name="Renewal play")
    assert [lane.label for lane in renewal.lanes()] == ["Initiate", "Assist", "Review & Close"]
    assert renewal.activities.get(state=ActivityState.IN_PROGRESS).name == (
        "Executive business review"
    )
