"""factory-boy factories shared by every test module."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from engagements.models import Account, Engagement, Resource

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
