"""Demo success cases for ``seed_demo``: every phase, closed and canceled ones.

Every case is opened and worked through the services, exactly as an agent
would in the workspace, so numbers, activities and the journal are real. Each
service call is then moved back to its moment on the case's timeline (the
opening, closing and journal timestamps), so the closed cases spread over the
last two months and a managers' review has several weeks of data. The journal
keeps its order: no call is moved to an earlier moment than the one before it.

Idempotent in the simplest way: when any success case exists, nothing is added.
Two closed cases are then marked Reviewed by the manager, unless they are already.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.db.models import Case
from django.db.models import DurationField
from django.db.models import ExpressionWrapper
from django.db.models import F
from django.db.models import Value
from django.db.models import When
from django.utils import timezone

from engagements.models import Engagement

from . import services
from .demo_playbooks import seed_playbooks
from .models import ActivityKind
from .models import ActivityState
from .models import CaseActivity
from .models import CaseTask
from .models import ClosureCode
from .models import JournalEntry
from .models import Meeting
from .models import Phase
from .models import PlaybookDefinition
from .models import Priority
from .models import SuccessCase

# Where a story stops: at the first activity of (phase, kind) left in progress,
# or one of these.
READY_TO_CLOSE = "ready_to_close"
CLOSED = "closed"
CANCELED = "canceled"
#: Closed before every activity was complete (at ``cancel_at``): the playbook is Canceled.
CLOSED_EARLY = "closed_early"


@dataclass
class DemoMeeting:
    subject: str
    state: str = "complete"  # draft, scheduled, complete or canceled
    attendees: tuple[str, ...] = ("agent", "csm")
    external: str = ""


@dataclass
class DemoTask:
    short_description: str
    state: str = "complete"  # new, in_progress, paused, complete or canceled
    assignee: str = "agent"


@dataclass
class Story:
    account: str
    engagement: str
    agent: str
    short_description: str
    opened_days_ago: float
    #: How long the case has run: until closed or canceled, else until now.
    days: float | None = None
    stop: str | tuple[str, str] = CLOSED
    #: For a canceled (or closed early) case: the activity it was canceled (closed) at.
    cancel_at: tuple[str, str] | None = None
    squad: tuple[str, ...] = ("agent", "csm")
    priority: int = Priority.MODERATE
    description: str = ""
    outcome: str = ""
    plan: str = ""
    final_outcome: str = ""
    closure_code: str = "Outcome achieved"
    close_notes: str = ""
    cancel_reason: str = ""
    meetings: list[DemoMeeting] = field(default_factory=list)
    tasks: list[DemoTask] = field(default_factory=list)
    #: The playbook chosen at New (its name); the default one when empty.
    playbook: str = ""


KICKOFF = DemoMeeting("Kickoff with the customer's project team", external="Project lead, IT lead")
REVIEW = DemoMeeting("Outcome review", attendees=("agent", "agent2", "csm"))

STORIES = [
    # -- cases of the onboarding and renewal plays (demo_playbooks) ------------------------
    Story(
        "Northwind Traders",
        "Platform onboarding",
        "agent",
        "Onboard the Northwind warehouse team",
        opened_days_ago=45,
        days=21,
        playbook="Onboarding play",
        outcome="Welcome! Your squad will have the warehouse team live in three weeks.",
        final_outcome="The warehouse team is live; support runs through the usual desk.",
        close_notes="Live on schedule.",
        meetings=[KICKOFF],
        tasks=[DemoTask("Configure the warehouse roles"), DemoTask("Train the shift leads")],
    ),
    Story(
        "Fabrikam Manufacturing",
        "Plant analytics onboarding",
        "agent2",
        "Onboard the plant engineers",
        opened_days_ago=3,
        stop=("assist", "related_meeting"),
        squad=("agent2", "csm"),
        playbook="Onboarding play",
        outcome="Welcome! Plant engineers will see line data in their own dashboards.",
        meetings=[DemoMeeting("Plant kickoff", state="scheduled", attendees=("agent2", "csm"))],
    ),
    Story(
        "Wide World Importers",
        "Renewal readiness",
        "agent2",
        "Secure the renewal of the logistics suite",
        opened_days_ago=6,
        stop=("assist", "related_meeting"),
        squad=("agent2", "csm"),
        priority=Priority.HIGH,
        playbook="Renewal play",
        plan="Usage up 30% this year; one open risk: the customs module is barely used.",
        meetings=[DemoMeeting("Renewal EBR", state="draft", attendees=("agent2", "csm"))],
    ),
    # -- closed, spread over the last two months -------------------------------------------
    Story(
        "Adventure Works Cycles",
        "E-commerce adoption",
        "agent2",
        "Enable the returns workflow in the web shop",
        opened_days_ago=62,
        days=10,
        squad=("agent2", "csm"),
        priority=Priority.HIGH,
        outcome="Online returns handled in the shop instead of by email, within 4 weeks.",
        plan="Configure return reasons, train the support desk, switch the email form off.",
        final_outcome="Returns run through the shop; the email form is switched off.",
        close_notes="92% of returns went through the new workflow in the last two weeks.",
        meetings=[KICKOFF],
        tasks=[DemoTask("Configure return reasons", assignee="agent2")],
    ),
    Story(
        "Contoso Health",
        "Clinical rollout adoption",
        "agent",
        "Raise clinician logins after go-live",
        opened_days_ago=56,
        days=12,
        squad=("agent", "agent2", "csm"),
        priority=Priority.HIGH,
        outcome="80% of clinicians sign in weekly by the end of the quarter.",
        plan="Ward champions, short videos, weekly login report to the nursing leads.",
        final_outcome="Weekly logins rose from 41% to 68%; two wards still lag behind.",
        closure_code="Outcome partially achieved",
        close_notes="Logins at 68% against a goal of 80%; follow-up planned with ward leads.",
        meetings=[KICKOFF, DemoMeeting("Ward champions check-in", state="canceled")],
        tasks=[
            DemoTask("Record three short training videos"),
            DemoTask("Send the weekly login report", assignee="agent2"),
        ],
    ),
    Story(
        "Adventure Works Cycles",
        "E-commerce adoption",
        "agent2",
        "Drive adoption of loyalty promotions",
        opened_days_ago=48,
        days=8,
        squad=("agent2", "agent"),
        outcome="Marketing runs its own loyalty promotions without our help.",
        plan="Two workshops with marketing, then a promotion they build themselves.",
        final_outcome="Marketing postponed loyalty to next year; no promotion was run.",
        closure_code="Outcome not achieved",
        close_notes="The customer's marketing team changed priorities mid-way.",
        meetings=[DemoMeeting("Promotions workshop", attendees=("agent2",))],
        tasks=[DemoTask("Prepare a promotion template", state="canceled", assignee="agent2")],
    ),
    Story(
        "Northwind Traders",
        "Platform onboarding",
        "agent",
        "Complete onboarding of the Northwind finance team",
        opened_days_ago=38,
        days=9,
        outcome="The finance team closes the month in the platform.",
        plan="Import the chart of accounts, train the controllers, shadow the first close.",
        final_outcome="The first month-end close ran in the platform without escalations.",
        close_notes="Month-end close done in the platform on day 3, as planned.",
        meetings=[KICKOFF, REVIEW],
        tasks=[DemoTask("Import the chart of accounts"), DemoTask("Train the controllers")],
    ),
    Story(
        "Contoso Health",
        "Clinical rollout adoption",
        "agent",
        "Roll out mobile charting to the night shift",
        opened_days_ago=34,
        days=10,
        squad=("agent", "csm"),
        outcome="Night-shift nurses chart on tablets instead of paper.",
        plan="Tablet pilot on two wards, then all night shifts.",
        final_outcome="All night shifts chart on tablets; paper charts are retired.",
        close_notes="Paper charting retired on every ward at night.",
        meetings=[DemoMeeting("Night-shift pilot review")],
        tasks=[DemoTask("Hand out tablets to the pilot wards")],
    ),
    Story(
        "Wide World Importers",
        "Renewal readiness",
        "agent2",
        "Prepare the executive business review before renewal",
        opened_days_ago=28,
        days=9,
        squad=("agent2", "csm"),
        priority=Priority.HIGH,
        outcome="The customer's sponsor sees the value delivered this year.",
        plan="Collect usage and savings figures, rehearse with the account team.",
        final_outcome="The executive business review went well; the sponsor backs renewal.",
        close_notes="Sponsor confirmed renewal intent in the review.",
        meetings=[DemoMeeting("Executive business review", attendees=("agent2", "csm"))],
        tasks=[DemoTask("Collect usage and savings figures", assignee="agent2")],
    ),
    Story(
        "Fabrikam Manufacturing",
        "Plant analytics onboarding",
        "agent",
        "Connect the first production line to plant analytics",
        opened_days_ago=19,
        days=7,
        outcome="Line 1 data flows into plant analytics every minute.",
        plan="Install the gateway, map the sensors, validate one shift of data.",
        final_outcome="Folded into the plant-wide rollout case.",
        closure_code="Superseded by another case",
        close_notes="The plant decided to connect all lines at once; tracked in the rollout.",
        meetings=[KICKOFF],
        tasks=[DemoTask("Install the gateway on line 1", state="canceled")],
    ),
    Story(
        "Adventure Works Cycles",
        "E-commerce adoption",
        "agent2",
        "Cut checkout drop-off with guided selling",
        opened_days_ago=16,
        days=7,
        squad=("agent2", "agent", "csm"),
        outcome="Checkout drop-off below 60%.",
        plan="Turn on guided selling for bikes, A/B test for two weeks.",
        final_outcome="Drop-off fell from 71% to 63%.",
        closure_code="Outcome partially achieved",
        close_notes="Improvement confirmed; the last points need a new checkout design.",
        meetings=[DemoMeeting("A/B test readout", attendees=("agent2", "agent"))],
        tasks=[DemoTask("Set up the A/B test", assignee="agent2")],
    ),
    Story(
        "Litware Financial",
        "Risk suite expansion",
        "agent2",
        "Pilot the stress-testing module with the risk office",
        opened_days_ago=9,
        days=6,
        squad=("agent2", "csm"),
        priority=Priority.HIGH,
        outcome="The risk office runs the quarterly stress test in the new module.",
        plan="Load last quarter's scenarios, run side by side with the spreadsheet.",
        final_outcome="The module matched the spreadsheet; the risk office switches over.",
        close_notes="Side-by-side run matched within 0.1%.",
        meetings=[DemoMeeting("Stress-test walkthrough", attendees=("agent2",))],
        tasks=[DemoTask("Load last quarter's scenarios", assignee="agent2")],
    ),
    # -- closed early: the customer reached the outcome before the planned review ----------
    Story(
        "Contoso Health",
        "Clinical rollout adoption",
        "agent2",
        "Switch the night shift to mobile handover",
        opened_days_ago=20,
        days=6,
        stop=CLOSED_EARLY,
        cancel_at=(Phase.ASSIST, ActivityKind.RELATED_MEETING),
        squad=("agent2", "csm"),
        outcome="Night-shift handovers are done on the mobile app on every ward.",
        plan="Pilot on two wards, then a go-live call with the night-shift leads.",
        closure_code="Outcome achieved",
        close_notes="Every ward moved to mobile handover during the pilot; no go-live call needed.",
        meetings=[DemoMeeting("Night-shift go-live call", state="scheduled")],
    ),
    # -- canceled ----------------------------------------------------------------------
    Story(
        "Northwind Traders",
        "Platform onboarding",
        "agent",
        "Migrate legacy purchase orders",
        opened_days_ago=30,
        days=5,
        stop=CANCELED,
        cancel_at=(Phase.ASSIST, ActivityKind.RELATED_WORK),
        outcome="Open purchase orders from the old system are available in the platform.",
        plan="Export, clean and import the open purchase orders.",
        cancel_reason="The customer moved the migration into their own IT project.",
        meetings=[DemoMeeting("Data migration planning")],
        tasks=[
            DemoTask("Export open purchase orders"),
            DemoTask("Clean up supplier codes", state="in_progress"),
            DemoTask("Import a test batch", state="new"),
        ],
    ),
    Story(
        "Wide World Importers",
        "Renewal readiness",
        "agent2",
        "Renewal health check",
        opened_days_ago=12,
        days=1,
        stop=CANCELED,
        cancel_at=(Phase.INITIATE, ActivityKind.ADD_SQUAD),
        cancel_reason="Opened twice by mistake; the work continues in the other case.",
    ),
    # -- open, in every phase -----------------------------------------------------------------
    Story(
        "Tailspin Toys",
        "Starter onboarding",
        "agent2",
        "",
        opened_days_ago=0.2,
        stop=(Phase.INITIATE, ActivityKind.CORE_INFORMATION),
    ),
    Story(
        "Northwind Traders",
        "Warehouse module adoption",
        "agent2",
        "Drive adoption of the warehouse module",
        opened_days_ago=3,
        stop=(Phase.INITIATE, ActivityKind.ADD_SQUAD),
        description="Pickers still use paper lists in two of three warehouses.",
    ),
    Story(
        "Contoso Health",
        "Clinical rollout adoption",
        "agent",
        "Reduce duplicate patient records at intake",
        opened_days_ago=5,
        stop=(Phase.ASSIST, ActivityKind.COMMENT),
        squad=("agent", "agent2", "csm"),
    ),
    Story(
        "Fabrikam Manufacturing",
        "Plant analytics onboarding",
        "agent",
        "Set up downtime alerts for plant supervisors",
        opened_days_ago=10,
        stop=(Phase.ASSIST, ActivityKind.RELATED_MEETING),
        outcome="Supervisors hear about unplanned downtime within five minutes.",
        plan="Define alert thresholds with the supervisors, then pilot on the night shift.",
        meetings=[
            KICKOFF,
            DemoMeeting("Alert thresholds workshop", state="scheduled", external="Supervisors"),
            DemoMeeting("Night-shift pilot review", state="draft"),
        ],
    ),
    Story(
        "Adventure Works Cycles",
        "E-commerce adoption",
        "agent2",
        "Launch the B2B reorder portal",
        opened_days_ago=14,
        stop=(Phase.ASSIST, ActivityKind.RELATED_WORK),
        squad=("agent2", "agent", "csm"),
        priority=Priority.HIGH,
        outcome="Dealers reorder parts online instead of by phone.",
        plan="Invite the top 20 dealers, then open the portal to everyone.",
        meetings=[DemoMeeting("Dealer council demo", external="Dealer council")],
        tasks=[
            DemoTask("Invite the top 20 dealers", assignee="agent2"),
            DemoTask("Publish the reorder guide", state="in_progress", assignee="agent"),
            DemoTask("Connect the portal to the ERP price list", state="new", assignee="agent2"),
        ],
    ),
    Story(
        "Litware Financial",
        "Risk suite expansion",
        "agent",
        "Automate the quarterly risk report",
        opened_days_ago=8,
        stop=(Phase.REVIEW_CLOSE, ActivityKind.COMMENT),
        squad=("agent", "csm"),
        outcome="The quarterly risk report is produced without manual steps.",
        plan="Schedule the report, route it to the risk committee automatically.",
        meetings=[DemoMeeting("Report design review")],
        tasks=[DemoTask("Schedule the report run")],
    ),
    Story(
        "Wide World Importers",
        "Renewal readiness",
        "agent2",
        "Confirm renewal sponsors and success criteria",
        opened_days_ago=15,
        stop=READY_TO_CLOSE,
        squad=("agent2", "agent", "csm"),
        outcome="Named sponsors and three measurable success criteria for next year.",
        plan="Interview the sponsors, draft the criteria, agree them in writing.",
        final_outcome="Sponsors named; success criteria agreed in writing.",
        close_notes="Criteria signed off by the COO.",
        meetings=[DemoMeeting("Sponsor interviews", attendees=("agent2", "csm"))],
        tasks=[DemoTask("Draft the success criteria", assignee="agent")],
    ),
]


#: Closed demo cases the manager has reviewed (short description: review note), so
#: that the Review workspace shows reviewed and not-reviewed cases.
REVIEWED = {
    "Enable the returns workflow in the web shop": (
        "Good run: live within the planned four weeks. Reuse the support-desk training "
        "for other retail accounts."
    ),
    "Raise clinician logins after go-live": (
        "Partial outcome: the two lagging wards need a follow-up case next quarter."
    ),
}


def seed_cases(users: dict, today: date) -> None:
    """Open and work the demo success cases, unless there are cases already.

    Then the manager reviews the cases of ``REVIEWED`` not reviewed yet.
    """
    seed_playbooks()
    if not SuccessCase.objects.exists():
        _open_cases(users, today)
    _review_cases(users)


def _review_cases(users: dict) -> None:
    """Mark the ``REVIEWED`` cases Reviewed, two days after they closed."""
    manager = users.get("manager")
    if manager is None:
        return
    for description, note in REVIEWED.items():
        case = SuccessCase.objects.filter(
            short_description=description, phase=Phase.CLOSED, reviewed_at=None
        ).first()
        if case is None:
            continue
        services.success_case_mark_reviewed(case_pk=case.pk, user=manager, note=note)
        moment = min(case.closed_at + timedelta(days=2), timezone.now())
        SuccessCase.objects.filter(pk=case.pk).update(reviewed_at=moment)
        JournalEntry.objects.filter(case=case, field="Reviewed").update(created_at=moment)


def _open_cases(users: dict, today: date) -> None:
    engagements = _open_engagements()
    if not engagements:
        return
    codes = {code.name: code for code in ClosureCode.objects.filter(active=True)}
    now = timezone.now()
    # Oldest first, so the numbers follow the opening dates.
    for index, story in enumerate(sorted(STORIES, key=lambda s: -s.opened_days_ago)):
        engagement = engagements.get((story.account, story.engagement))
        if engagement is None:  # renamed or no longer open: use another open one
            engagement = list(engagements.values())[index % len(engagements)]
        _Walk(story, users, engagement, codes, today, now).run()


def _open_engagements() -> dict[tuple[str, str], Engagement]:
    queryset = Engagement.objects.filter(state__in=Engagement.OPEN_STATES).select_related("account")
    return {(e.account.name, e.name): e for e in queryset.order_by("account__name", "name")}


class _Walk:
    """Works one story's case through the services, one moment of its timeline per call."""

    def __init__(self, story: Story, users: dict, engagement, codes, today: date, now: datetime):
        self.story = story
        self.users = users
        self.user = users[story.agent]
        self.engagement = engagement
        self.codes = codes
        self.today = today
        self.opened = now - timedelta(days=story.opened_days_ago)
        if story.days is not None:
            self.end = self.opened + timedelta(days=story.days)
        else:
            self.end = now - timedelta(minutes=30)
        self.case: SuccessCase | None = None
        self.steps = 0
        self.marks: list[tuple[datetime, datetime]] = []  # (call started, its moment)
        self.gap = (self.end - self.opened) / max(self._expected_steps() - 1, 1)

    def _expected_steps(self) -> int:
        # Open, eight activities, close; create and resolve each meeting and task.
        return 10 + 2 * (len(self.story.meetings) + len(self.story.tasks))

    # -- the timeline ----------------------------------------------------------------------
    def moment(self) -> datetime:
        return min(self.opened + self.gap * self.steps, self.end)

    @contextmanager
    def step(self, *, last: bool = False) -> Iterator[None]:
        """One service call, to be moved to the next moment of the case's timeline."""
        self.marks.append((timezone.now(), self.end if last else self.moment()))
        yield
        self.steps += 1

    def backdate(self) -> None:
        """Move every row the calls wrote to the moment of the call that wrote it."""
        case = self.case
        JournalEntry.objects.filter(case=case).update(created_at=self.moments("created_at"))
        CaseActivity.objects.filter(case=case).exclude(completed_at=None).update(
            completed_at=self.moments("completed_at")
        )
        Meeting.objects.filter(case=case).update(created_at=self.moments("created_at"))
        CaseTask.objects.filter(case=case).update(created_at=self.moments("created_at"))
        SuccessCase.objects.filter(pk=case.pk).update(
            opened_at=self.marks[0][1],
            closed_at=self.moments("closed_at"),
            **{name: self.moments(name) for name in services.PHASE_ENDED_AT.values()},
            updated_at=self.marks[-1][1],
        )
        SuccessCase.objects.filter(pk=case.pk, closed_at__isnull=False).update(
            cycle_time=ExpressionWrapper(F("closed_at") - F("opened_at"), DurationField())
        )

    def moments(self, name: str) -> Case:
        """``name``'s new value: the moment of the latest call started before it was written."""
        whens = [When(**{f"{name}__gte": start}, then=Value(when)) for start, when in self.marks]
        return Case(*reversed(whens), default=F(name))

    def call(self, function: Callable, **kwargs):
        with self.step():
            return function(case_pk=self.case.pk, **kwargs)

    # -- the walk --------------------------------------------------------------------------
    def run(self) -> None:
        story = self.story
        with self.step():
            self.case = services.success_case_create(
                engagement=self.engagement,
                user=self.user,
                playbook=PlaybookDefinition.objects.filter(name=story.playbook).first()
                if story.playbook
                else None,
            ).case
        stop_at = story.cancel_at if story.stop in (CANCELED, CLOSED_EARLY) else story.stop
        while True:
            activity = self.case.activities.filter(state=ActivityState.IN_PROGRESS).first()
            if activity is None:
                break  # every activity is complete: the case waits for Close
            arrived = (activity.phase, activity.kind) == stop_at
            self.prepare(activity, resolve=not arrived)
            if arrived:
                break
            self.call(
                services.activity_complete,
                activity_pk=activity.pk,
                user=self.user,
                data=self.data_for(activity),
            )
        if story.stop == CLOSED:
            with self.step(last=True):
                services.success_case_close(case_pk=self.case.pk, user=self.user)
        elif story.stop == CLOSED_EARLY:
            with self.step(last=True):
                services.success_case_close(
                    case_pk=self.case.pk,
                    user=self.user,
                    closure_code=self.codes.get(story.closure_code),
                    close_notes=story.close_notes,
                )
        elif story.stop == CANCELED:
            with self.step(last=True):
                services.success_case_cancel(
                    case_pk=self.case.pk, user=self.user, reason=story.cancel_reason
                )
        self.backdate()

    def prepare(self, activity: CaseActivity, *, resolve: bool) -> None:
        """Create the meetings or tasks a Related meeting / Related work activity waits for.

        With ``resolve``, meetings and tasks the story leaves open are completed,
        so that the activity can be completed next.
        """
        if activity.kind == ActivityKind.RELATED_MEETING:
            for meeting in self.story.meetings:
                self.add_meeting(meeting, resolve=resolve)
        elif activity.kind == ActivityKind.RELATED_WORK:
            for task in self.story.tasks:
                self.add_task(task, resolve=resolve)

    def add_meeting(self, spec: DemoMeeting, *, resolve: bool) -> None:
        state = spec.state
        if resolve and state in ("draft", "scheduled"):
            state = "complete"
        if state in ("complete", "canceled"):
            # It took place (or would have) before the next moment of the timeline.
            start = self.moment() + self.gap / 2
        else:
            day = self.today + timedelta(days=2 + len(spec.subject) % 5)
            start = timezone.make_aware(datetime.combine(day, time(10)))
        data = {
            "subject": spec.subject,
            "start": start,
            "end": start + timedelta(hours=1),
            "location": "https://meet.example.com/" + spec.subject.lower().replace(" ", "-")[:24],
            "agenda": f"{spec.subject}: {self.story.short_description.lower()}.",
            "external_attendees": spec.external,
            "attendees": [self.users[name] for name in spec.attendees],
        }
        meeting = self.call(
            services.meeting_create, user=self.user, data=data, schedule=state != "draft"
        )
        if state in ("complete", "canceled"):
            name = "complete" if state == "complete" else "cancel"
            self.call(services.record_transition, user=self.user, record=meeting, name=name)

    def add_task(self, spec: DemoTask, *, resolve: bool) -> None:
        state = spec.state
        if resolve and state in ("new", "in_progress", "paused"):
            state = "complete"
        assignee = self.users[spec.assignee]
        data = {
            "short_description": spec.short_description,
            "assigned_to": assignee,
            "due_date": (self.moment() + timedelta(days=5)).date(),
        }
        task = self.call(services.task_create, user=self.user, data=data)
        # The assignee works the task when they may work the case, else the agent.
        works_case = spec.assignee in self.story.squad and spec.assignee != "csm"
        worker = assignee if works_case else self.user
        names = {
            "new": [],
            "in_progress": ["start"],
            "paused": ["start", "pause"],
            "complete": ["complete"],
            "canceled": ["cancel"],
        }[state]
        for name in names:
            self.call(services.record_transition, user=worker, record=task, name=name)

    def data_for(self, activity: CaseActivity) -> dict:
        story = self.story
        kind = activity.kind
        if kind == ActivityKind.CORE_INFORMATION:
            start = self.opened.date()
            end = start + timedelta(days=round(story.days or 30) + 7)
            return {
                "short_description": story.short_description,
                "description": story.description
                or f"{story.short_description} for {self.engagement.account.name}.",
                "priority": story.priority,
                "assigned_to": self.user,
                "planned_start": start,
                "planned_end": end,
            }
        if kind == ActivityKind.ADD_SQUAD:
            return {"squad": [self.users[name] for name in story.squad]}
        if kind == ActivityKind.COMMENT:
            if activity.phase == Phase.REVIEW_CLOSE:
                return {"text": story.final_outcome or "The intended outcome was reached."}
            return {"text": story.outcome or f"Expected outcome: {story.short_description}."}
        if kind == ActivityKind.WORK_NOTE:
            return {"text": story.plan or "Action plan agreed with the customer."}
        if kind == ActivityKind.CLOSE_RECORD:
            code = self.codes.get(story.closure_code) or next(iter(self.codes.values()), None)
            return {
                "closure_code": code,
                "close_notes": story.close_notes or "Closed after the final review.",
            }
        return {}


def seed_case_contacts(users: dict) -> None:
    """The agent notes the phone of Contoso Health's contact on their open case, from the
    case page's Edit contact (issue 12 item 10), once the account's contacts exist."""
    from .services.contact import case_contact_update

    agent = users.get("agent")
    case = (
        SuccessCase.objects.filter(
            assigned_to=agent,
            engagement__account__name="Contoso Health",
            engagement__account__contacts__is_primary=True,
            engagement__account__contacts__phone="",
            phase__in=[Phase.INITIATE, Phase.ASSIST, Phase.REVIEW_CLOSE],
        )
        .order_by("pk")
        .first()
    )
    if agent is not None and case is not None:
        case_contact_update(case_pk=case.pk, user=agent, data={"phone": "+1 555 010 0100"})
