"""factory-boy factories for success plans and their children, shared by tests/successplans/.

Children are built under a plan (``ObjectiveFactory(plan=plan)``); without one
they make their own plan and account. Resources are active, non-PSA ones.
"""

from datetime import date
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from successplans.models import BusinessChallenge
from successplans.models import ChallengeCategory
from successplans.models import CSActivity
from successplans.models import KPIValue
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.models import Playbook
from successplans.models import PlaybookTask
from successplans.models import RecordType
from successplans.models import Status
from successplans.models import SuccessPlan
from tests.factories import AccountFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory

__all__ = [
    "AccountFactory",
    "BusinessChallengeFactory",
    "CSActivityFactory",
    "ChallengeCategoryFactory",
    "KPIValueFactory",
    "ObjectiveFactory",
    "ObjectiveKPIFactory",
    "PlaybookFactory",
    "PlaybookTaskFactory",
    "RecordTypeFactory",
    "ResourceFactory",
    "SuccessPlanFactory",
    "UserFactory",
]


class RecordTypeFactory(factory.django.DjangoModelFactory):
    """``RecordTypeFactory(object_type=RecordType.ObjectType.OBJECTIVE, field_set=[...])``."""

    class Meta:
        model = RecordType

    object_type = RecordType.ObjectType.SUCCESS_PLAN
    name = factory.Sequence(lambda n: f"Record type {n:03d}")
    description = ""
    field_set = factory.LazyAttribute(lambda rt: RecordType.default_field_set(rt.object_type))
    active = True


class ChallengeCategoryFactory(factory.django.DjangoModelFactory):
    """Categories are reference data (the migration makes the defaults): get or create by name."""

    class Meta:
        model = ChallengeCategory
        django_get_or_create = ["name"]

    name = "Adoption"
    order = 0
    active = True


class SuccessPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessPlan

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Success plan {n:04d}")
    description = "Grow adoption of the platform."
    effective_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    end_date = factory.LazyAttribute(lambda p: p.effective_date + timedelta(days=180))
    status = Status.IN_PROGRESS
    owner = factory.SubFactory(ResourceFactory)
    record_type = None
    is_template = False


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(SuccessPlanFactory)
    name = factory.Sequence(lambda n: f"Objective {n:04d}")
    description = ""
    start_date = factory.LazyAttribute(lambda o: o.plan.effective_date)
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=90))
    status = Status.NOT_STARTED
    resource = None
    record_type = None


class ObjectiveKPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectiveKPI

    objective = factory.SubFactory(ObjectiveFactory)
    name = factory.Sequence(lambda n: f"KPI {n:04d}")
    unit = "%"
    baseline = Decimal("10.00")
    current = Decimal("40.00")
    target = Decimal("80.00")
    direction = ObjectiveKPI.Direction.HIGHER
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    external = False
    blocked = False


class KPIValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPIValue

    kpi = factory.SubFactory(ObjectiveKPIFactory)
    value = Decimal("40.00")
    recorded_by = factory.SubFactory(UserFactory)


class PlaybookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Playbook

    plan = factory.SubFactory(SuccessPlanFactory)
    name = factory.Sequence(lambda n: f"Playbook {n:04d}")
    description = ""
    start_date = factory.LazyAttribute(lambda p: p.plan.effective_date)
    end_date = factory.LazyAttribute(lambda p: p.start_date + timedelta(days=60))
    status = Status.NOT_STARTED
    resource = None
    record_type = None


class PlaybookTaskFactory(factory.django.DjangoModelFactory):
    """A task under ``playbook`` (default none: directly under the plan).

    ``PlaybookTaskFactory(playbook=pb)`` puts it in ``pb``'s plan;
    ``resources=[r1, r2]`` assigns resources.
    """

    class Meta:
        model = PlaybookTask
        skip_postgeneration_save = True

    playbook = None
    plan = factory.LazyAttribute(
        lambda t: t.playbook.plan if t.playbook is not None else SuccessPlanFactory()
    )
    name = factory.Sequence(lambda n: f"Playbook task {n:04d}")
    description = ""
    start_date = factory.LazyAttribute(lambda t: t.plan.effective_date)
    end_date = factory.LazyAttribute(lambda t: t.start_date + timedelta(days=14))
    status = Status.NOT_STARTED
    record_type = None

    @factory.post_generation
    def resources(self, create, extracted, **kwargs):
        if create and extracted:
            self.resources.set(extracted)


class BusinessChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessChallenge

    plan = factory.SubFactory(SuccessPlanFactory)
    name = factory.Sequence(lambda n: f"Business challenge {n:04d}")
    category = factory.SubFactory(ChallengeCategoryFactory)
    notes = ""


class CSActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CSActivity

    plan = factory.SubFactory(SuccessPlanFactory)
    type = CSActivity.Type.CALL
    date = factory.LazyFunction(date.today)
    subject = factory.Sequence(lambda n: f"Check-in call {n:04d}")
    notes = ""
    who = factory.SubFactory(UserFactory)
    record_type = None
