"""seed_demo gives every demo user a filled My Work (successhub/demo_workspace.py)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from playbooks.models import Meeting
from successhub.demo_workspace import MEETING

#: The panels that have rows for each demo user (an admin sees the working roles' panels).
FILLED = {
    "agent": {"my_cases", "my_tasks", "my_meetings", "squad_cases", "accounts", "engagements"},
    "agent2": {"my_cases", "my_tasks", "my_meetings", "squad_cases"},
    "csm": {"my_plans", "plan_work", "new_challenges", "accounts", "engagements"},
    "participant": {"part_plans", "part_cases"},
    "manager": {"review_queue"},
    "admin": {"review_queue"},
}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", password="demo-pass-123", stdout=StringIO())
    call_command("seed_demo", password="demo-pass-123", stdout=StringIO())  # idempotent


def test_every_demo_user_has_a_filled_my_work(seeded):
    for username, panels in FILLED.items():
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get("/")
        filled = {p.key for s in response.context["sections"] for p in s.panels if len(p.rows)}
        assert panels <= filled, (username, panels - filled)


def test_the_agents_see_an_overdue_task_and_a_meeting_once(seeded):
    client = Client()
    client.force_login(get_user_model().objects.get(username="agent"))
    response = client.get("/")
    assert any(task.days_overdue for task in response.context["my_tasks"])
    assert Meeting.objects.filter(subject=MEETING).count() == 2  # one per agent, not per run
