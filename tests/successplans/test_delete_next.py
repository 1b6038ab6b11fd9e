"""The plan children's Delete (objectives, KPIs, playbooks, tasks, challenges, activities)
reads ``next`` before it deletes: a body Django refuses deletes nothing, and ``next`` only
leads to a page of this site."""

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import TooManyFieldsSent
from django.urls import resolve
from django.urls import reverse

from successplans.models import Objective

from .factories import ObjectiveFactory


@pytest.fixture
def objective(db):
    return ObjectiveFactory(name="Reduce ticket backlog")


def test_it_deletes_nothing_when_the_body_has_too_many_fields(rf, csm, objective):
    # 12,000 fields: over DATA_UPLOAD_MAX_NUMBER_FIELDS. The middleware (NUL check, CSRF)
    # reads the body first and answers 400; the view must be safe without them too, so it
    # is called here on its own.
    url = reverse("successplans:objective-delete", args=[objective.pk])
    body = "&".join(f"f{n}=x" for n in range(12_000))
    request = rf.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
    request.user = csm
    request._messages = CookieStorage(request)
    match = resolve(url)

    with pytest.raises(TooManyFieldsSent):  # Django's handler makes it a 400
        match.func(request, *match.args, **match.kwargs)

    assert Objective.objects.filter(pk=objective.pk).exists()


def test_it_deletes_and_returns_to_next(client_for, csm, objective):
    back = reverse("successplans:tracker")

    response = client_for("csm").post(
        reverse("successplans:objective-delete", args=[objective.pk]), {"next": back}
    )

    assert response.status_code == 302
    assert response.url == back
    assert not Objective.objects.filter(pk=objective.pk).exists()


def test_it_ignores_a_next_on_another_site(client_for, csm, objective):
    response = client_for("csm").post(
        reverse("successplans:objective-delete", args=[objective.pk]),
        {"next": "https://evil.example/phish"},
    )

    assert response.status_code == 302
    assert (
        response.url
        == reverse("successplans:plan-detail", args=[objective.plan_id]) + "?tab=related"
    )
    assert not Objective.objects.filter(pk=objective.pk).exists()
