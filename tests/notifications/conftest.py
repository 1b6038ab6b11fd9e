"""Fixtures for the notification tests: a case of ``agent``'s and a way to run the mail tasks."""

from __future__ import annotations

import pytest

from playbooks import services as case_services
from tests.factories import EngagementFactory


@pytest.fixture
def case(agent):
    """A case just opened by ``agent`` (assigned to them)."""
    return case_services.success_case_create(engagement=EngagementFactory(), user=agent).case


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block scheduled with ``transaction.on_commit`` (the
    mail tasks) as a real commit would, in the test's process (immediate task backend)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def assign_task(case, *, by, to, title="Send the agenda"):
    return case_services.task_create(
        case_pk=case.pk, user=by, data={"short_description": title, "assigned_to": to}
    )
