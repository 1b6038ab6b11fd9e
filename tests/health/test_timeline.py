"""The account timeline reads its eleven sources in one query: each source's entries keep
their words, links, people and visibility, and paging merges them without repeating."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import AccountActivity
from engagements.models import AccountChange
from health.models import ManualValue
from health.models import Measure
from health.models import Override
from health.models import PlanRecordChange
from health.models import Snapshot
from health.timeline import Cursor
from health.timeline import timeline
from playbooks.models import JournalEntry
from successplans.models import BusinessChallenge
from tests.factories import AccountFactory
from tests.factories import EngagementFactory
from tests.factories import ResourceFactory
from tests.factories import SuccessCaseFactory
from tests.factories import UserFactory
from tests.successplans.factories import BusinessChallengeFactory
from tests.successplans.factories import CSActivityFactory
from tests.successplans.factories import KPIValueFactory
from tests.successplans.factories import ObjectiveFactory
from tests.successplans.factories import ObjectiveKPIFactory
from tests.successplans.factories import SuccessPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    """One record of every source on Contoso Health's timeline, by Sam Rivera (or nobody)."""
    today = timezone.localdate()
    sam = UserFactory(first_name="Sam", last_name="Rivera", username="sam")
    account = AccountFactory(name="Contoso Health")
    case = SuccessCaseFactory(engagement=EngagementFactory(account=account))
    JournalEntry.objects.all().delete()  # the case's opening changes: not what is tested here
    JournalEntry.objects.create(case=case, kind="comment", author=sam, body="Go-live moved")
    JournalEntry.objects.create(
        case=case, kind="change", author=sam, field="Priority", old_value="", new_value="2"
    )
    plan = SuccessPlanFactory(
        account=account, name="Clinical adoption", owner=ResourceFactory(user=sam)
    )
    objective = ObjectiveFactory(plan=plan)
    kpi = ObjectiveKPIFactory(objective=objective, name="Active clinicians", unit="users")
    kpi.external = True
    kpi.save(update_fields=["external"])
    KPIValueFactory(kpi=kpi, value=Decimal("12.5"), recorded_by=sam)
    PlanRecordChange.objects.create(
        plan=plan, record="task", record_id=1, name="Train the leads", change="Completed", actor=sam
    )
    CSActivityFactory(plan=plan, type="email", subject="Agenda", notes="sent", who=sam)
    AccountActivity.objects.create(
        account=account, kind="meeting", date=today, text="QBR", author=sam
    )
    BusinessChallengeFactory(plan=plan, name="Paper rounds")
    Snapshot.objects.create(
        account=account,
        day=today - timedelta(days=1),
        score=70,
        computed=70,
        colour="amber",
        change=-10,
    )
    ManualValue.objects.create(
        account=account,
        measure=Measure.objects.get(name="Sentiment"),
        value="red",
        note="Upset",
        set_by=sam,
    )
    Override.objects.create(
        account=account, score=20, reason="Churn risk", expires_on=today, set_by=sam
    )
    AccountChange.objects.create(account=account, actor=sam, field="ARR", new_value="120000")
    return account, plan, objective, case


def test_every_source_keeps_its_words_links_and_people(history):
    account, plan, objective, case = history
    here = account.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        page = timeline(account, size=50)
    assert len(queries) <= 2  # the UNION; and the shared full names, read once per process
    shown = {(e.title, e.text, e.who, e.url, e.customer_visible) for e in page.entries}
    assert shown == {
        (
            f"{case.number}: additional comment",
            "Go-live moved",
            "Sam Rivera",
            case.get_absolute_url(),
            True,
        ),
        (f"{case.number}: change", "Priority: — → 2", "Sam Rivera", case.get_absolute_url(), False),
        ("Success plan created", "Clinical adoption", "Sam Rivera", plan.get_absolute_url(), False),
        (
            "KPI value recorded",
            "Active clinicians: 12.50 users",
            "Sam Rivera",
            objective.get_absolute_url(),
            True,
        ),
        (
            "Playbook task Completed",
            "Train the leads (Clinical adoption)",
            "Sam Rivera",
            plan.get_absolute_url(),
            False,
        ),
        ("CS activity: email", "Agenda — sent", "Sam Rivera", plan.get_absolute_url(), False),
        ("Meeting", "QBR", "Sam Rivera", here + "#timeline", False),
        (
            "Business challenge",
            "Paper rounds",
            "",
            BusinessChallenge.objects.get().get_absolute_url(),
            False,
        ),
        ("Health score moved", "Score 70 (-10), amber", "", here + "#health", False),
        ("Sentiment set red", "Upset", "Sam Rivera", here + "#health", False),
        (
            "Health score overridden",
            f"20 until {timezone.localdate():%b %-d, %Y}: Churn risk",
            "Sam Rivera",
            here,
            False,
        ),
        ("ARR", "— → 120000", "Sam Rivera", here, False),
    }


def test_pages_of_mixed_sources_follow_each_other_without_repeating(history):
    account = history[0]
    whole = [(e.rank, e.pk) for e in timeline(account, size=50).entries]
    seen, cursor = [], None
    for _ in range(5):  # 12 entries: three pages
        page = timeline(account, size=5, cursor=cursor)
        seen += [(e.rank, e.pk) for e in page.entries]
        if page.next_cursor is None:
            break
        cursor = Cursor.parse(page.next_cursor)
    assert seen == whole and len(whole) == 12


def test_a_kind_filter_reads_only_its_sources(history):
    account = history[0]
    kinds = {e.kind for e in timeline(account, kinds=["health", "activity"]).entries}
    assert kinds == {"health", "activity"}
    assert timeline(account, kinds=[]).entries  # no kind chosen: every kind
