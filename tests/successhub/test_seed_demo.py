"""seed_demo: a user per role, accounts, engagements and resources; idempotent.

The demo is seeded once for the module (``seeded_demo``); tests that seed
again run inside their own rolled-back transaction.
"""

from io import StringIO

from django.contrib.auth import authenticate
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from core.roles import user_roles
from engagements.models import Account
from engagements.models import Engagement
from engagements.models import Resource

EXPECTED_ROLES = {
    "agent": ["Success Agent"],
    "agent2": ["Success Agent"],
    "csm": ["Customer Success"],
    "participant": ["Participant"],
    "manager": ["Success Manager"],
}


def signs_in(username: str, password: str):
    """The user those credentials sign in, as the sign-in page asks (django-axes needs the
    request)."""
    return authenticate(RequestFactory().post("/login/"), username=username, password=password)


def seed(**kwargs) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def test_it_creates_a_user_per_role_and_an_admin(seeded_demo):
    output = seeded_demo  # seeded with password="demo-secret-1"
    User = get_user_model()
    for username, roles in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert user_roles(user) == roles
        assert signs_in(username, "demo-secret-1") == user
        assert f"{username:<12} demo-secret-1" in output
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_it_prints_a_random_password_when_none_is_given(seeded_demo):
    output = seed()
    line = next(line for line in output.splitlines() if line.strip().startswith("csm "))
    password = line.split()[1]
    assert len(password) >= 12
    assert signs_in("csm", password) is not None


def test_it_is_idempotent(seeded_demo):
    counts = (
        get_user_model().objects.count(),
        Account.objects.count(),
        Engagement.objects.count(),
        Resource.objects.count(),
    )
    seed(password="demo-secret-2")
    assert counts == (
        get_user_model().objects.count(),
        Account.objects.count(),
        Engagement.objects.count(),
        Resource.objects.count(),
    )
    assert counts[1] >= 8 and counts[2] >= 12
    assert signs_in("agent", "demo-secret-2") is not None


def test_it_seeds_realistic_variety(seeded_demo):
    assert set(Engagement.objects.values_list("stage", flat=True)) == set(Engagement.Stage.values)
    assert set(Engagement.objects.values_list("state", flat=True)) == set(Engagement.State.values)
    assert Resource.objects.filter(is_psa=True).exists()
    assert Resource.objects.filter(is_active=False).exists()
    assert Resource.objects.assignable().count() >= 3
