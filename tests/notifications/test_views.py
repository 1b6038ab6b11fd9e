"""The bell, /notifications/ (newest first, mark one or all read) and the preferences page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Delivery
from notifications.models import Kind
from notifications.models import Notification
from notifications.models import NotificationPreference
from tests.conftest import ROLE_FIXTURES


def make(user, count: int, *, text="Task SCTASK0001001 assigned", url="/cases/SCS0001001/"):
    now = timezone.now()
    return Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                event=Kind.TASK_ASSIGNED,
                text=f"{text} [n{i}]",
                url=url,
                created=now - timedelta(minutes=count - i),
            )
            for i in range(count)
        ]
    )


@pytest.mark.parametrize("who", [*ROLE_FIXTURES, "no_role_user"])
def test_every_user_sees_their_own_newest_first(client_for, request, who, other_agent):
    user = request.getfixturevalue(who)
    make(user, 3)
    make(other_agent, 1, text="Not yours")
    response = client_for(who).get("/notifications/")
    assert response.status_code == 200
    body = response.text
    assert body.index("[n2]") < body.index("[n1]") < body.index("[n0]")
    assert "Not yours" not in body
    assert 'data-testid="bell-count">3<' in body


def test_an_empty_list_says_what_would_fill_it(client_for, agent):
    response = client_for("agent").get("/notifications/")
    assert "No notifications. You are told here when a case or task is assigned" in response.text
    assert 'data-testid="bell-count"' not in response.text


def test_the_unread_filter(client_for, agent):
    first, second = make(agent, 2)
    first.read_at = timezone.now()
    first.save()
    body = client_for("agent").get("/notifications/?unread=true").text
    assert second.text in body and first.text not in body


def test_a_bad_filter_value_is_a_message_not_a_500(client_for, agent):
    response = client_for("agent").get("/notifications/?unread=maybe")
    assert response.status_code == 200
    assert "Some filters are not valid" in response.text


def test_it_marks_one_read_and_opens_its_link(client_for, agent):
    [notification] = make(agent, 1)
    response = client_for("agent").post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response.url == "/cases/SCS0001001/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_marks_one_read_and_goes_back(client_for, agent):
    [notification] = make(agent, 1)
    response = client_for("agent").post(f"/notifications/{notification.pk}/read/")
    assert response.url == "/notifications/"
    notification.refresh_from_db()
    assert notification.is_read


def test_it_refuses_to_go_back_elsewhere(client_for, agent):
    [notification] = make(agent, 1)
    response = client_for("agent").post(
        f"/notifications/{notification.pk}/read/", {"next": "https://evil.example/"}
    )
    assert response.url == "/notifications/"


@pytest.mark.parametrize("who", ["other_agent", "csm", "manager"])
def test_another_users_notification_is_404_and_stays_unread(client_for, agent, who):
    [notification] = make(agent, 1)
    response = client_for(who).post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_an_unknown_notification_is_404(client_for, agent, pk):
    assert client_for("agent").post(f"/notifications/{pk}/read/").status_code == 404


def test_it_rejects_get_on_mark_read(client_for, agent):
    [notification] = make(agent, 1)
    assert client_for("agent").get(f"/notifications/{notification.pk}/read/").status_code == 405


def test_mark_all_read_touches_only_mine(client_for, agent, other_agent):
    make(agent, 3)
    make(other_agent, 2)
    response = client_for("agent").post("/notifications/read-all/", follow=True)
    assert "3 notifications marked read." in response.text
    assert not Notification.objects.filter(user=agent, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other_agent, read_at__isnull=True).count() == 2


@pytest.mark.parametrize("size", [5, 60])
def test_the_list_costs_the_same_at_any_size(
    client_for, agent, django_assert_max_num_queries, size
):
    make(agent, size)
    client = client_for("agent")
    # session, user, the navigation's permissions (2) and roles, the page's count and rows,
    # the bell's count
    with django_assert_max_num_queries(8):
        response = client.get("/notifications/")
    assert response.status_code == 200
    assert response.text.count('data-testid="notification"') == min(size, 25)


@pytest.mark.parametrize("size", [0, 40])
def test_the_bell_is_one_query_on_any_page(client_for, agent, django_assert_num_queries, size):
    make(agent, size)
    client = client_for("agent")
    client.get("/notifications/preferences/")  # warm up whatever is cached per process
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notifications/preferences/")
    bell = [q for q in queries if 'FROM "notifications_notification"' in q["sql"]]
    assert len(bell) == 1
    assert ("bell-count" in response.text) == bool(size)


# -- preferences ---------------------------------------------------------------------------
def test_preferences_show_the_defaults(client_for, agent):
    response = client_for("agent").get("/notifications/preferences/")
    assert response.status_code == 200
    for kind in Kind:
        assert kind.label in response.text
    assert response.context["form"].initial[Kind.TASK_DUE] == Delivery.DIGEST


def test_preferences_are_saved_per_event(client_for, agent):
    data = {kind: Delivery.OFF for kind in Kind.values} | {Kind.TASK_ASSIGNED: Delivery.DIGEST}
    response = client_for("agent").post("/notifications/preferences/", data, follow=True)
    assert "Your notification preferences are saved." in response.text
    saved = dict(NotificationPreference.objects.filter(user=agent).values_list("event", "delivery"))
    assert saved[Kind.TASK_ASSIGNED] == Delivery.DIGEST
    assert saved[Kind.CASE_ASSIGNED] == Delivery.OFF
    assert len(saved) == len(Kind)


def test_a_bad_preference_is_told_next_to_its_field_and_nothing_saved(client_for, agent):
    data = {kind: Delivery.OFF for kind in Kind.values} | {Kind.TASK_ASSIGNED: "hourly"}
    data.pop(Kind.TASK_DUE)
    response = client_for("agent").post("/notifications/preferences/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "Select a valid choice" in form.errors[Kind.TASK_ASSIGNED][0]
    assert form.errors[Kind.TASK_DUE] == ["Choose how this notification is delivered."]
    assert not NotificationPreference.objects.exists()
