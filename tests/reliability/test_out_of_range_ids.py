"""Ids no column can hold (above 2^63 - 1) name no record: a 404 in a path, "Select a valid
choice" in a form or a filter, never a 500 (on SQLite binding one was an OverflowError).
``core.ids``."""

from __future__ import annotations

from django.urls import reverse

from successplans.models import PlaybookTask
from successplans.models import SuccessPlan
from tests.test_access_matrix import ACCESS
from tests.test_access_matrix import URLS
from tests.test_access_matrix import _objects  # noqa: F401 (the module's rows)
from tests.test_access_matrix import objects  # noqa: F401
from tests.test_access_matrix import row_counts
from tests.test_access_matrix import signed_in

HUGE = 2**64  # SQLite holds up to 2^63 - 1


def test_an_id_list_with_an_id_no_column_holds_matches_only_the_others(objects):  # noqa: F811
    plan = objects["plan"]

    assert list(SuccessPlan.objects.filter(pk__in=[HUGE, plan]).values_list("pk", flat=True)) == [
        plan
    ]
    assert not SuccessPlan.objects.filter(pk__in=[HUGE, -HUGE]).exists()
    assert SuccessPlan.objects.exclude(pk__in=[HUGE]).filter(pk=plan).exists()


def test_an_id_no_column_holds_in_any_path_is_404(objects):  # noqa: F811
    # Every URL with an id in its path, each id in turn, as a user allowed on the page.
    answers = {}
    for name in URLS:
        access = ACCESS[name]
        actor = sorted(access.who)[0]
        client = signed_in(objects, actor)
        client.raise_request_exception = False  # a 500 is an answer to list
        for kwarg, key in access.kwargs.items():
            if not isinstance(objects[key], int):
                continue
            values = {k: objects[v] for k, v in access.kwargs.items()} | {kwarg: HUGE}
            url = reverse(name, kwargs=values)
            response = client.get(url) if "GET" in access.methods else client.post(url, {})
            answers[url] = response.status_code
    assert len(answers) > 40
    assert {url: status for url, status in answers.items() if status != 404} == {}


def test_a_form_says_an_id_no_column_holds_is_not_a_choice(objects):  # noqa: F811
    # Edit playbook task: its Resources take several ids.
    client = signed_in(objects, "csm")
    task = PlaybookTask.objects.get(pk=objects["plan_task"])
    before = row_counts()

    response = client.post(
        reverse("successplans:task-edit", kwargs={"pk": task.pk}),
        {"name": "Renamed", "playbook": task.playbook_id, "resources": [str(HUGE)]},
    )

    assert response.status_code == 200
    assert "Choose an active resource that is not a PSA resource." in response.text
    assert row_counts() == before
    task.refresh_from_db()
    assert task.name != "Renamed"


def test_a_filter_says_an_id_no_column_holds_is_not_an_account(objects):  # noqa: F811
    client = signed_in(objects, "participant")

    response = client.get(reverse("successplans:tracker"), {"account": [str(HUGE)]})

    assert response.status_code == 200
    assert f"There is no account {HUGE}: showing every account." in response.text
