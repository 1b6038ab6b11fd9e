"""seed_demo's events: the seed is one event scope, as a request is.

Its own module: the tests of test_seed_demo.py share a seeded demo, where a second seed adds
no cases and so emits nothing.
"""

from io import StringIO

from django.core.management import call_command


def test_each_record_refreshes_its_accounts_health_once_after_the_commit(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    """The seed is one event scope, as a request is: a case moved through its phases asks
    for one refresh, not one per event."""
    scheduled = []

    class Recorder:
        @staticmethod
        def enqueue(source, pk):
            scheduled.append((source, pk))

    monkeypatch.setattr("health.listeners.refresh_account_health", Recorder)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", password="demo-secret-3", stdout=StringIO())

    assert len(scheduled) >= 10  # the demo's cases, each moved through its phases
    assert len(scheduled) == len(set(scheduled))
