"""My Work (the home page): each role's panels, composed from the apps' selectors.

A user sees the panels of every role they act in; what decides it is the permission the
role's work needs (an admin's change of a role's permissions in the admin moves the
panels with it), except for participants, whose permissions every role holds:

- **Success Agent** (works success cases, ``change_successcase``): open cases assigned to
  me with phase, current activity and age; my open case tasks, overdue first; my meetings
  of the next 7 days; open cases I am in the squad of;
- **Customer Success** (manages plans, ``change_successplan``): plans I own with their KPI
  badge counts, Overdue and Blocked first; my objectives and playbook tasks due in the next
  14 days or overdue; business challenges of my plans opened this month;
- **Success Manager** (``review_successcase``): closed and canceled cases awaiting review
  (count, the oldest first); this month's and last month's closed and canceled counts and
  median cycle time;
- **Participant** (the Participant role): the plans and cases I take part in, read-only.

Every panel is a fixed number of queries whatever the data size: one for its page of rows
(``core.pagination.window``: no count), plus the few a panel states (a count, the KPI badge
counts of the page's plans, the month figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from functools import partial

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from core.pagination import PANEL_SIZE
from core.pagination import window
from core.roles import Role
from core.roles import user_roles
from engagements import selectors as engagement_selectors
from engagements.rows import account_rows
from engagements.rows import engagement_rows
from playbooks import selectors as case_selectors
from playbooks.reports import figures
from playbooks.reports import review_cases
from playbooks.work_rows import work_case_rows
from playbooks.work_rows import work_task_rows
from successplans.selectors import my_work as plan_selectors

#: How far ahead the agent's meetings and the Customer Success user's due work look.
MEETING_DAYS = 7
TASK_WEEK_DAYS = 7
PLAN_WORK_DAYS = 14


@dataclass
class Panel:
    """One list of My Work: its rows (a page), what it says when empty, its template."""

    key: str  # the context name, the ``?<key>_page=`` parameter and the partial's name
    title: str
    rows: object
    empty: str
    extra: dict = field(default_factory=dict)
    partial: str = ""  # the partial's name when several panels share one (default: the key)

    @property
    def template(self) -> str:
        return f"successhub/partials/home_{self.partial or self.key}.html"


@dataclass
class Section:
    """The panels of one role."""

    role: str
    panels: list[Panel]


def _page(request: HttpRequest, rows, name: str, *, read=list):
    """A panel's page, ``?<name>_page=`` (each panel pages on its own); ``read`` reads the
    page's slice (``core.pagination.window``)."""
    return window(request, rows, PANEL_SIZE, param=f"{name}_page", read=read)


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def roles_at_work(user) -> list[str]:
    """The roles whose panels ``user`` sees, in the order My Work shows them."""
    roles = []
    if user.has_perm("playbooks.change_successcase"):
        roles.append(Role.SUCCESS_AGENT)
    if user.has_perm("successplans.change_successplan"):
        roles.append(Role.CUSTOMER_SUCCESS)
    if user.has_perm("playbooks.review_successcase"):
        roles.append(Role.SUCCESS_MANAGER)
    if Role.PARTICIPANT in user_roles(user):
        roles.append(Role.PARTICIPANT)
    return roles


# -- Success Agent -------------------------------------------------------------------------------
def agent_panels(request: HttpRequest, today: date) -> list[Panel]:
    user = request.user
    case_rows = partial(work_case_rows, today=today)
    cases = _page(request, case_selectors.my_open_cases(user), "cases", read=case_rows)
    squad = _page(request, case_selectors.my_squad_cases(user), "squad", read=case_rows)
    tasks = _page(
        request,
        case_selectors.my_open_tasks(user),
        "tasks",
        read=partial(work_task_rows, today=today, week_days=TASK_WEEK_DAYS),
    )
    start = _start_of_day(today)
    meetings = case_selectors.my_meetings(
        user, start=start, end=start + timedelta(days=MEETING_DAYS)
    )
    return [
        Panel(
            "my_cases",
            "My open success cases",
            cases,
            "No open success case is assigned to you. Cases you open or that are assigned "
            "to you appear here.",
            partial="cases",
        ),
        Panel(
            "my_tasks",
            "My case tasks",
            tasks,
            "No open case task is assigned to you. Tasks assigned to you on a success case "
            "appear here, overdue ones first.",
        ),
        Panel(
            "my_meetings",
            f"My meetings of the next {MEETING_DAYS} days",
            _page(request, meetings, "my_meetings"),
            f"No meeting in the next {MEETING_DAYS} days. Draft and scheduled meetings you "
            "attend appear here.",
        ),
        Panel(
            "squad_cases",
            "Cases I am in the squad of",
            squad,
            "You are in no open case's squad. Open cases whose squad you are added to appear here.",
            {"squad": True},  # home_cases.html shows who is assigned instead of the account
            partial="cases",
        ),
    ]


# -- Customer Success ----------------------------------------------------------------------------
def customer_success_panels(request: HttpRequest, today: date) -> list[Panel]:
    user = request.user
    plans = _page(request, plan_selectors.plans_owned(user, today=today), "my_plans")
    plan_selectors.add_badge_counts(plans.object_list, today=today)
    work = _page(
        request,
        plan_selectors.my_due_plan_work(user, until=today + timedelta(days=PLAN_WORK_DAYS)),
        "plan_work",
    )
    for row in work:
        name = "objective-detail" if row["kind"] == "objective" else "task-detail"
        row["url"] = reverse(f"successplans:{name}", args=[row["pk"]])
        row["kind_label"] = "Objective" if row["kind"] == "objective" else "Playbook task"
        row["days_overdue"] = (today - row["end_date"]).days if row["end_date"] < today else 0
    month_start = _start_of_day(today.replace(day=1))
    challenges = plan_selectors.challenges_opened_since(user, since=month_start)
    return [
        Panel(
            "my_plans",
            "Success plans I own",
            plans,
            "You are the allocated resource of no success plan. Plans you own appear here "
            "with their KPIs' badges, Overdue and Blocked first.",
        ),
        Panel(
            "plan_work",
            f"Objectives and playbook tasks due in the next {PLAN_WORK_DAYS} days",
            work,
            f"Nothing of yours is overdue or due in the next {PLAN_WORK_DAYS} days. Objectives "
            "and playbook tasks you are the resource of appear here as their end date nears.",
        ),
        Panel(
            "new_challenges",
            "Business challenges opened this month",
            _page(request, challenges, "new_challenges"),
            "No business challenge was opened on your plans this month. Challenges added to "
            "plans you own appear here.",
        ),
    ]


# -- Success Manager -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthFigures:
    label: str
    closed: int
    canceled: int
    cycle_median: timedelta | None


def _month(label: str, start: date, end: date) -> MonthFigures:
    found = figures(
        review_cases().filter(closed_at__gte=_start_of_day(start), closed_at__lt=_start_of_day(end))
    )
    return MonthFigures(label, found.closed, found.canceled, found.cycle_median)


def manager_panels(request: HttpRequest, today: date) -> list[Panel]:
    waiting = case_selectors.awaiting_review()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    months = [
        _month(f"{this_month:%B %Y} (this month)", this_month, next_month),
        _month(f"{last_month:%B %Y} (last month)", last_month, this_month),
    ]
    return [
        Panel(
            "review_queue",
            "Awaiting review",
            _page(request, waiting, "review_queue"),
            "No closed or canceled case awaits review. Cases appear here when an agent "
            "closes or cancels them, the longest waiting first.",
            {"count": waiting.count()},
        ),
        Panel(
            "month_figures",
            "Closed and canceled this month",
            months,
            "",
        ),
    ]


# -- Participant ---------------------------------------------------------------------------------
def participant_panels(request: HttpRequest, today: date) -> list[Panel]:
    user = request.user
    cases = _page(request, case_selectors.cases_taken_part_in(user), "part_cases")
    plans = _page(request, plan_selectors.plans_taken_part_in(user), "part_plans")
    return [
        Panel(
            "part_plans",
            "Success plans I take part in",
            plans,
            "You take part in no success plan. Plans where you are the owner or the resource "
            "of an objective, playbook or playbook task appear here.",
        ),
        Panel(
            "part_cases",
            "Success cases I take part in",
            cases,
            "You are in no success case's squad. Cases whose squad you are added to appear here.",
        ),
    ]


PANELS = {
    Role.SUCCESS_AGENT: agent_panels,
    Role.CUSTOMER_SUCCESS: customer_success_panels,
    Role.SUCCESS_MANAGER: manager_panels,
    Role.PARTICIPANT: participant_panels,
}


def owned_panels(request: HttpRequest) -> list[Panel]:
    """The accounts and open engagements the user owns (agents and Customer Success)."""
    owned = engagement_selectors.owned_by(request.user)
    return [
        Panel(
            "engagements",
            "My open engagements",
            _page(request, owned["engagements"], "engagements", read=engagement_rows),
            "You own no open engagement. Engagements you are the owner of appear here.",
        ),
        Panel(
            "accounts",
            "My accounts",
            _page(request, owned["accounts"], "accounts", read=account_rows),
            "You own no account. Accounts you are the customer success owner of appear here.",
        ),
    ]


def my_work(request: HttpRequest) -> list[Section]:
    """Every section of the user's My Work, one per role they act in."""
    today = timezone.localdate()
    roles = roles_at_work(request.user)
    sections = [Section(str(role), PANELS[role](request, today)) for role in roles]
    if {Role.SUCCESS_AGENT, Role.CUSTOMER_SUCCESS} & set(roles):
        sections.append(Section("Accounts and engagements", owned_panels(request)))
    return sections
