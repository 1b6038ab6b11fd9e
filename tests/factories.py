"""factory-boy factories shared by every test module."""

from datetime import date
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.roles import Role
from engagements.models import Account
from engagements.models import Engagement
from engagements.models import Resource

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=[Role.SUCCESS_AGENT])`` puts the user in those groups."""
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[str(r) for r in extracted]))


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n:04d}")
    industry = factory.Iterator(["Retail", "Healthcare", "Logistics", "Education"])
    tier = Account.Tier.COMMERCIAL
    owner = None


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Engagement {n:04d}")
    stage = Engagement.Stage.ONBOARDING
    state = Engagement.State.IN_PROGRESS
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=10))
    end_date = factory.LazyAttribute(lambda e: e.start_date + timedelta(days=90))
    owner = None


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    user = factory.SubFactory(UserFactory)
    title = "Customer Success Manager"
    is_active = True
    is_psa = False


# -- success cases ------------------------------------------------------------------------
# Cases are always opened and worked through playbooks.services, as in the workspace,
# so their numbers, playbook activities and journal are the real ones.


class SuccessCaseFactory(factory.Factory):
    """``SuccessCaseFactory(user=agent)``: a case opened by (and assigned to) ``user``.

    Opened with ``services.success_case_create``, so it stands in Initiate with
    Select engagement Complete and Enter core information In progress.
    """

    class Meta:
        model = dict  # built by _create through the service, never instantiated here

    engagement = factory.SubFactory(EngagementFactory)
    user = factory.SubFactory(UserFactory, roles=[Role.SUCCESS_AGENT])

    @classmethod
    def _create(cls, model_class, *, engagement, user):
        from playbooks.services import success_case_create

        return success_case_create(engagement=engagement, user=user).case

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Success cases exist only once opened: use SuccessCaseFactory().")


def activity_data(activity, user) -> dict:
    """Sensible input for the form of ``activity``'s kind."""
    from playbooks.models import ActivityKind
    from playbooks.models import ClosureCode
    from playbooks.models import Phase

    if activity.kind == ActivityKind.CORE_INFORMATION:
        return {
            "short_description": "Drive adoption of the warehouse module",
            "description": "Pickers still use paper lists.",
            "priority": 2,
            "assigned_to": user,
            "planned_start": date.today(),
            "planned_end": date.today() + timedelta(days=30),
        }
    if activity.kind == ActivityKind.ADD_SQUAD:
        return {"squad": [user]}
    if activity.kind == ActivityKind.COMMENT:
        if activity.phase == Phase.REVIEW_CLOSE:
            return {"text": "Weekly active users reached 84%."}
        return {"text": "We expect 80% weekly active users within a quarter."}
    if activity.kind == ActivityKind.WORK_NOTE:
        return {"text": "Train the leads first, then the floor."}
    if activity.kind == ActivityKind.CLOSE_RECORD:
        return {
            "closure_code": ClosureCode.objects.get(name="Outcome achieved"),
            "close_notes": "Adoption reached 84%.",
        }
    return {}


def open_activity(case):
    """The case's activity In progress, or None."""
    from playbooks.models import ActivityState

    return case.activities.filter(state=ActivityState.IN_PROGRESS).first()


def complete_activity(case, user, data: dict | None = None):
    """Mark Complete / Send and continue on the case's open activity."""
    from playbooks.services import activity_complete

    activity = open_activity(case)
    payload = activity_data(activity, user) if data is None else data
    return activity_complete(case_pk=case.pk, activity_pk=activity.pk, user=user, data=payload)


def work_case_until(case, user, activity_name: str | None = None) -> None:
    """Complete activities until ``activity_name`` is open (None: until all are complete)."""
    while (activity := open_activity(case)) is not None and activity.name != activity_name:
        complete_activity(case, user)
