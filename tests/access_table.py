"""The access table of tests/test_access_matrix.py: who may use each named URL.

One ``Access`` row a URL (add one with each new URL: the matrix fails on a URL without a
row); the actors, the method sets and what stands in a URL for an unknown object. The
matrix's docstring says how a row becomes the expected answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from tests.conftest import USERS

ANONYMOUS = "anonymous"
ACTORS = [ANONYMOUS, *USERS]  # agent, other_agent, csm, participant, manager, no_role_user
METHODS = ["GET", "POST"]

SIGNED_IN = frozenset(USERS)
ANYONE = SIGNED_IN | {ANONYMOUS}  # the password reset pages: no sign-in needed
ROLES = SIGNED_IN - {"no_role_user"}  # every SuccessHub role views accounts, cases and plans
AGENTS = frozenset({"agent", "other_agent"})  # add success case
ASSIGNEE = frozenset({"agent"})  # can_work_case: the assignee and the squad
CSM = frozenset({"csm"})  # add, change and delete success plans and their children
MANAGER = frozenset({"manager"})  # review success case
GET, POST = frozenset({"GET"}), frozenset({"POST"})
ANY = frozenset(METHODS)


@dataclass(frozen=True)
class Access:
    """Who may use a URL: ``who`` passes every check; ``gate``, when the view checks the
    method between two checks, is who passes the checks made before the method."""

    who: frozenset[str]
    kwargs: dict[str, str] = field(default_factory=dict)  # URL kwarg -> key of ``objects``
    methods: frozenset[str] = ANY
    gate: frozenset[str] | None = None
    # who gets 404 rather than 403: another user's own object is not shown to exist
    hidden: frozenset[str] = frozenset()

    def expected(self, actor: str, method: str) -> str:
        if actor == ANONYMOUS and actor not in self.who:
            return "login"
        if actor not in (self.who if self.gate is None else self.gate):
            return "refused"
        if method not in self.methods:
            return "not allowed"
        if actor in self.hidden:
            return "hidden"
        return "allowed" if actor in self.who else "refused"


#: The most queries a page of ours may read (issue 11).
MAX_QUERIES = 15

ACCESS: dict[str, Access] = {
    # successhub: My work (a user without role is told why), the account and engagement pages
    "home": Access(ROLES),
    # the top bar's global search (a user without role is told why, as on My work); GET only
    "search": Access(ROLES, {}, GET, SIGNED_IN),
    # /healthz for load balancers: anyone, GET only (core/health.py)
    "healthz": Access(ANYONE, {}, GET),
    # Django's password change: every signed-in user, with or without a role
    "password-change": Access(SIGNED_IN),
    "password-change-done": Access(SIGNED_IN, {}, GET),  # a TemplateView: GET only
    # Django's password reset by email: anyone, signed in or not
    "password-reset": Access(ANYONE),
    "password-reset-done": Access(ANYONE, {}, GET),
    "password-reset-confirm": Access(ANYONE, {"uidb64": "reset_uid", "token": "reset_token"}),
    "password-reset-complete": Access(ANYONE, {}, GET),
    "engagements:account-list": Access(ROLES),
    "engagements:engagement-list": Access(ROLES),
    "engagements:account-detail": Access(ROLES, {"pk": "account"}),
    # the Account 360 (issue 15): every role reads; Customer Success changes facts, contacts,
    # activities, manual measures and overrides (403 before the method for the others)
    "engagements:account-export": Access(ROLES),
    "engagements:account-timeline": Access(ROLES, {"pk": "account"}),
    "engagements:account-facts": Access(CSM, {"pk": "account"}),
    "engagements:account-contact-new": Access(CSM, {"pk": "account"}),
    "engagements:account-contact-edit": Access(CSM, {"pk": "account", "contact_pk": "contact"}),
    "engagements:account-activity-new": Access(CSM, {"pk": "account"}),
    "engagements:account-health-manual": Access(CSM, {"pk": "account"}),
    "engagements:account-health-override": Access(CSM, {"pk": "account"}),
    "engagements:engagement-detail": Access(ROLES, {"pk": "engagement"}),
    # core: search-as-you-type, by the lookup's permission (accounts: view_account)
    "core:search": Access(ROLES, {"lookup": "lookup"}),
    # playbooks: reading needs view_successcase; New needs add_successcase (agents)
    "playbooks:case-list": Access(ROLES),
    "playbooks:case-new": Access(AGENTS),
    "playbooks:case-detail": Access(ROLES, {"number": "open_case"}),
    # working a case: require_POST comes before _case_to_work, so every GET is 405
    "playbooks:activity-complete": Access(
        ASSIGNEE, {"number": "open_case", "activity_pk": "activity"}, POST, SIGNED_IN
    ),
    "playbooks:case-close": Access(ASSIGNEE, {"number": "open_case"}),  # GET: the Close page
    "playbooks:case-cancel": Access(ASSIGNEE, {"number": "open_case"}),
    "playbooks:journal-post": Access(ASSIGNEE, {"number": "open_case"}, POST, SIGNED_IN),
    # after core information; any Success Agent joins a squad, any member leaves it
    "playbooks:case-edit": Access(ASSIGNEE, {"number": "open_case"}),
    # the engagement's contact, from the case: its assignee and squad, and Customer Success
    "playbooks:case-contact": Access(ASSIGNEE | CSM, {"number": "open_case"}),
    "playbooks:squad-join": Access(AGENTS, {"number": "open_case"}, POST, ROLES),
    "playbooks:squad-leave": Access(ROLES, {"number": "open_case"}, POST),
    "playbooks:meeting-new": Access(ASSIGNEE, {"number": "open_case"}),
    "playbooks:meeting-edit": Access(ASSIGNEE, {"number": "open_case", "pk": "meeting"}),
    "playbooks:meeting-transition": Access(
        ASSIGNEE,
        {"number": "open_case", "pk": "meeting", "name": "meeting_transition"},
        POST,
        SIGNED_IN,
    ),
    "playbooks:task-new": Access(ASSIGNEE, {"number": "open_case"}),
    "playbooks:task-edit": Access(ASSIGNEE, {"number": "open_case", "task_number": "case_task"}),
    "playbooks:task-transition": Access(
        ASSIGNEE,
        {"number": "open_case", "task_number": "case_task", "name": "task_transition"},
        POST,
        SIGNED_IN,
    ),
    # Review: review_successcase (managers) on GET and POST; Mark Reviewed checks it before POST
    "playbooks:review": Access(MANAGER),
    "playbooks:review-export": Access(MANAGER),
    "playbooks:review-case": Access(MANAGER, {"number": "closed_case"}),
    "playbooks:review-mark": Access(MANAGER, {"number": "closed_case"}, POST),
    # success plans: view_plans (every role) first; changes need the model permission (CSM)
    "successplans:plan-list": Access(ROLES),
    "successplans:plan-create": Access(CSM),  # the one window posts too (issue 13, item 11)
    "successplans:plan-new": Access(CSM),
    "successplans:plan-challenge-row": Access(CSM),
    "successplans:plan-detail": Access(ROLES, {"pk": "plan"}),
    "successplans:plan-edit": Access(CSM, {"pk": "plan"}),
    "successplans:plan-delete": Access(CSM, {"pk": "plan"}),
    "successplans:plan-effective-date": Access(CSM, {"pk": "plan"}),
    "successplans:kpi-grid": Access(CSM, {"pk": "plan"}, POST, ROLES),
    "successplans:related-list": Access(ROLES, {"plan_id": "plan", "key": "related_key"}),
    "successplans:objective-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:objective-detail": Access(ROLES, {"pk": "objective"}),
    "successplans:objective-edit": Access(CSM, {"pk": "objective"}),
    "successplans:objective-delete": Access(CSM, {"pk": "objective"}),
    "successplans:objective-kpis": Access(ROLES, {"pk": "objective"}),
    "successplans:kpi-new": Access(CSM, {"parent_id": "objective"}),
    "successplans:kpi-edit": Access(CSM, {"pk": "kpi"}),
    "successplans:kpi-delete": Access(CSM, {"pk": "kpi"}),
    "successplans:playbook-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:playbook-detail": Access(ROLES, {"pk": "playbook"}),
    "successplans:playbook-edit": Access(CSM, {"pk": "playbook"}),
    "successplans:playbook-delete": Access(CSM, {"pk": "playbook"}),
    "successplans:task-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:task-detail": Access(ROLES, {"pk": "plan_task"}),
    "successplans:task-edit": Access(CSM, {"pk": "plan_task"}),
    "successplans:task-delete": Access(CSM, {"pk": "plan_task"}),
    "successplans:task-status": Access(CSM, {"pk": "plan_task"}, POST, ROLES),
    "successplans:plan-challenge-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:plan-challenge-edit": Access(CSM, {"plan_id": "plan", "pk": "challenge"}),
    "successplans:plan-challenge-delete": Access(CSM, {"plan_id": "plan", "pk": "challenge"}),
    "successplans:activity-new": Access(CSM, {"parent_id": "plan"}),
    "successplans:activity-edit": Access(CSM, {"pk": "cs_activity"}),
    "successplans:activity-delete": Access(CSM, {"pk": "cs_activity"}),
    "successplans:challenge-list": Access(ROLES),
    "successplans:challenge-new": Access(CSM),
    "successplans:challenge-detail": Access(ROLES, {"pk": "challenge"}),
    "successplans:challenge-edit": Access(CSM, {"pk": "challenge"}),
    "successplans:challenge-delete": Access(CSM, {"pk": "challenge"}),
    "successplans:tracker": Access(ROLES),
    # a tracker bar's dates (drag, keys or the Dates form): those who may change the record
    "successplans:tracker-dates": Access(CSM, {"kind": "dated_kind", "pk": "plan_task"}),
    "successplans:template-picker": Access(CSM),
    "successplans:template-create": Access(CSM, {"template_id": "template"}),
    # API tokens: every signed-in user has their page; revoking is POST only, and only
    # the token's owner may (``agent`` owns the token here)
    "tokens:token-list": Access(SIGNED_IN),
    "tokens:token-revoke": Access(frozenset({"agent"}), {"pk": "api_token"}, POST, SIGNED_IN),
    # notifications: every signed-in user's own; another user's notification is 404 (it is
    # ``agent``'s here); the calendar feed needs no sign-in, its secret in the URL is the key
    "notifications:list": Access(SIGNED_IN, {}, GET),
    "notifications:read": Access(
        frozenset({"agent"}), {"pk": "notification"}, POST, SIGNED_IN, SIGNED_IN - {"agent"}
    ),
    "notifications:read-all": Access(SIGNED_IN, {}, POST),
    "notifications:preferences": Access(SIGNED_IN),
    "notifications:calendar-renew": Access(SIGNED_IN, {}, POST),
    "notifications:calendar-revoke": Access(SIGNED_IN, {}, POST),
    "notifications:calendar": Access(ANYONE, {"secret": "feed_secret"}, GET),
}

#: What stands in a URL for an object that does not exist, by URL kwarg.
UNKNOWN = {
    "number": "SCS9999999",
    "task_number": "TSK9999999",
    "key": "no-such-list",
    "lookup": "no-such-search",
}
#: Kwargs that name an action rather than an object (an unknown one is a message, not a 404);
#: a password reset link that is wrong or used up is a message too.
NOT_OBJECTS = {"name", "uidb64", "token"}
