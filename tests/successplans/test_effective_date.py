"""Change effective date: /plans/<id>/effective-date/.

The seed: "Changing the effective date of a success plan affects the start and
end dates of its child records. In this case, any changes you made to the start
and end dates of child records will be lost and the start and end dates will be
set according to the success plan's new effective date."

The query budgets at two sizes: test_effective_date_queries.py.
"""

import re
from datetime import date
from datetime import timedelta

import pytest
from django.urls import reverse

from successplans.models import Objective
from successplans.models import SuccessPlan
from tests.factories import AccountFactory

from .factories import ObjectiveFactory
from .factories import ObjectiveKPIFactory
from .factories import PlaybookFactory
from .factories import PlaybookTaskFactory
from .factories import SuccessPlanFactory

JAN_5 = date(2026, 1, 5)
FEB_4 = date(2026, 2, 4)  # JAN_5 + 30 days


def days(n: int) -> date:
    return JAN_5 + timedelta(days=n)


def anchored(record):
    """A child as the app creates it: its offsets fixed from the plan's effective date."""
    record.anchor_to(JAN_5)
    record.save()
    return record


def make_plan() -> SuccessPlan:
    """Northwind's "Warehouse adoption", effective Jan 5, 2026."""
    return SuccessPlanFactory(
        name="Warehouse adoption",
        account=AccountFactory(name="Northwind"),
        effective_date=JAN_5,
        end_date=date(2026, 6, 30),
    )


@pytest.fixture
def plan(db):
    return make_plan()


@pytest.fixture
def children(plan):
    """One untouched child of each kind, and one objective whose dates were changed by hand."""
    objective = anchored(
        ObjectiveFactory(plan=plan, name="Adoption", start_date=days(10), end_date=days(40))
    )
    kpi = anchored(ObjectiveKPIFactory(objective=objective, name="WAU", due_date=days(35)))
    playbook = anchored(PlaybookFactory(plan=plan, start_date=days(0), end_date=days(60)))
    task = anchored(PlaybookTaskFactory(playbook=playbook, start_date=days(5), end_date=days(12)))
    loose = anchored(PlaybookTaskFactory(plan=plan, start_date=days(80), end_date=days(81)))
    edited = anchored(
        ObjectiveFactory(plan=plan, name="Value", start_date=days(0), end_date=days(20))
    )
    # Later the user moved it by hand (its offsets stay 0 and 20).
    edited.start_date, edited.end_date = days(7), days(50)
    edited.save()
    return {
        "objective": objective,
        "kpi": kpi,
        "playbook": playbook,
        "task": task,
        "loose": loose,
        "edited": edited,
    }


def url(plan) -> str:
    return reverse("successplans:plan-effective-date", args=[plan.pk])


def text_of(response) -> str:
    """The page's words, without tags and with single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def dates_of(record) -> tuple:
    record.refresh_from_db()
    return record.start_date, record.end_date


# -- the form ---------------------------------------------------------------------------------
def test_customer_success_gets_the_form(client_for, plan):
    response = client_for("csm").get(url(plan))
    assert response.status_code == 200
    assert "<h1>Change effective date</h1>" in response.text
    assert 'name="effective_date" value="2026-01-05"' in response.text
    assert "Current effective date of <strong>Warehouse adoption</strong>" in response.text
    assert "Dates changed by hand on child records will be lost." in response.text
    assert f'<a href="/plans/{plan.pk}/">Warehouse adoption</a>' in response.text  # breadcrumbs


def test_the_first_post_shows_the_preview_and_changes_nothing(client_for, plan, children):
    response = client_for("csm").post(url(plan), {"effective_date": "2026-02-04"})
    assert response.status_code == 200
    words = text_of(response)
    # Moving: 2 objectives, 1 KPI, 1 playbook, 2 tasks; the hand-edited objective loses its dates.
    assert (
        "6 child records will move by 30 days. Dates changed by hand on 1 of them will be lost "
        "and set from the new effective date." in words
    )
    assert "New effective date: Feb 4, 2026" in words
    assert "the plan's end date moves from Jun 30, 2026 to Jul 30, 2026" in words
    assert 'name="confirmed" value="1"' in response.text
    assert 'type="hidden" name="effective_date" value="2026-02-04"' in response.text
    assert ">Confirm</button>" in response.text
    assert f'<a href="/plans/{plan.pk}/">Cancel</a>' in response.text
    plan.refresh_from_db()
    assert plan.effective_date == JAN_5
    assert dates_of(children["edited"]) == (days(7), days(50))


def test_the_preview_says_when_no_date_was_changed_by_hand(client_for, plan):
    anchored(ObjectiveFactory(plan=plan, start_date=days(0), end_date=days(10)))
    words = text_of(client_for("csm").post(url(plan), {"effective_date": "2026-01-06"}))
    assert "1 child record will move by 1 day. None of their dates were changed by hand." in words


def test_the_preview_of_an_earlier_date_says_back(client_for, plan, children):
    words = text_of(client_for("csm").post(url(plan), {"effective_date": "2025-12-26"}))
    assert "6 child records will move back by 10 days." in words


def test_the_preview_of_a_plan_without_children(client_for, plan):
    words = text_of(client_for("csm").post(url(plan), {"effective_date": "2026-02-04"}))
    assert "No child records have dates to move." in words


# -- confirming -------------------------------------------------------------------------------
def test_confirming_moves_every_child(client_for, plan, children):
    response = client_for("csm").post(url(plan), {"effective_date": "2026-02-04", "confirmed": "1"})
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.effective_date == FEB_4
    assert plan.end_date == date(2026, 7, 30)  # keeps its length
    # Untouched children move by the same 30 days.
    assert dates_of(children["objective"]) == (date(2026, 2, 14), date(2026, 3, 16))
    assert dates_of(children["playbook"]) == (FEB_4, date(2026, 4, 5))
    assert dates_of(children["task"]) == (date(2026, 2, 9), date(2026, 2, 16))
    assert dates_of(children["loose"]) == (date(2026, 4, 25), date(2026, 4, 26))
    children["kpi"].refresh_from_db()
    assert children["kpi"].due_date == date(2026, 3, 11)
    # The dates changed by hand are lost: new effective date + the offsets from creation.
    assert dates_of(children["edited"]) == (FEB_4, FEB_4 + timedelta(days=20))


def test_confirming_tells_what_moved(client_for, plan, children):
    response = client_for("csm").post(
        url(plan), {"effective_date": "2026-02-04", "confirmed": "1"}, follow=True
    )
    assert "Effective date changed to Feb 4, 2026: 6 child records moved by 30 days." in (
        response.text
    )
    assert "Feb 4, 2026" in response.text


def test_an_earlier_date_moves_children_back(client_for, plan, children):
    client_for("csm").post(url(plan), {"effective_date": "2025-12-26", "confirmed": "1"})
    assert dates_of(children["objective"]) == (date(2026, 1, 5), date(2026, 2, 4))
    assert dates_of(children["edited"]) == (date(2025, 12, 26), date(2026, 1, 15))


def test_children_of_other_plans_stay(client_for, plan, children):
    other = anchored(ObjectiveFactory(start_date=days(10), end_date=days(40)))
    client_for("csm").post(url(plan), {"effective_date": "2026-02-04", "confirmed": "1"})
    assert dates_of(other) == (days(10), days(40))


def test_children_without_dates_keep_none(client_for, plan):
    undated = anchored(ObjectiveFactory(plan=plan, start_date=None, end_date=None))
    client_for("csm").post(url(plan), {"effective_date": "2026-02-04", "confirmed": "1"})
    assert dates_of(undated) == (None, None)


def test_a_template_moves_its_children_too(client_for):
    template = SuccessPlanFactory(account=None, is_template=True, effective_date=JAN_5)
    objective = anchored(ObjectiveFactory(plan=template, start_date=days(10), end_date=days(20)))
    client_for("csm").post(url(template), {"effective_date": "2026-02-04", "confirmed": "1"})
    template.refresh_from_db()
    assert template.effective_date == FEB_4
    assert dates_of(objective) == (date(2026, 2, 14), date(2026, 2, 24))


def test_the_same_date_changes_nothing(client_for, plan, children):
    response = client_for("csm").post(url(plan), {"effective_date": "2026-01-05"}, follow=True)
    assert response.redirect_chain == [(plan.get_absolute_url(), 302)]
    assert "The effective date is unchanged." in response.text
    assert dates_of(children["edited"]) == (days(7), days(50))


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "Enter the new effective date."),
        ("next week", "Enter a valid date, such as 2026-01-31."),
        ("2026-02-30", "Enter a valid date, such as 2026-01-31."),
        ("9999-12-31", "Choose a date between 1900-01-01 and 2999-12-31."),
    ],
)
@pytest.mark.parametrize("confirmed", ["", "1"])
def test_a_bad_date_is_explained_next_to_the_field(
    client_for, plan, children, value, error, confirmed
):
    response = client_for("csm").post(url(plan), {"effective_date": value, "confirmed": confirmed})
    assert response.status_code == 200
    assert f'<p class="field-error">{error}</p>' in response.text
    assert "Confirm</button>" not in response.text
    plan.refresh_from_db()
    assert plan.effective_date == JAN_5
    assert dates_of(children["edited"]) == (days(7), days(50))


def test_a_missing_field_is_explained(client_for, plan):
    response = client_for("csm").post(url(plan), {})
    assert '<p class="field-error">Enter the new effective date.</p>' in response.text


def test_dates_that_would_end_before_they_start_change_nothing(client_for, plan):
    # A child from before offsets existed, its start typed by hand after its end offset was
    # fixed: moving it would put the end before the start.
    odd = ObjectiveFactory(plan=plan, start_date=days(40), end_date=days(50))
    Objective.objects.filter(pk=odd.pk).update(start_offset=None, end_offset=10)
    response = client_for("csm").post(url(plan), {"effective_date": "2026-02-04", "confirmed": "1"})
    assert response.status_code == 200
    assert "Some child records would end before they start with this date" in response.text
    plan.refresh_from_db()
    assert plan.effective_date == JAN_5
    assert dates_of(odd) == (days(40), days(50))


def test_the_preview_already_warns_about_dates_that_would_end_before_they_start(client_for, plan):
    odd = ObjectiveFactory(plan=plan, start_date=days(40), end_date=days(50))
    Objective.objects.filter(pk=odd.pk).update(start_offset=None, end_offset=10)
    response = client_for("csm").post(url(plan), {"effective_date": "2026-02-04"})
    assert "1 of them would end before they start with this date" in response.text


# -- htmx: the step swaps in place --------------------------------------------------------------
HTMX = {"HX-Request": "true"}


def test_htmx_gets_the_preview_as_a_fragment(client_for, plan, children):
    response = client_for("csm").post(url(plan), {"effective_date": "2026-02-04"}, headers=HTMX)
    assert response.status_code == 200
    assert "<h1>" not in response.text
    assert "6 child records will move by 30 days." in text_of(response)
    assert response.templates[0].name == "successplans/partials/plan_effective_date_step.html"


def test_htmx_gets_a_bad_date_as_a_fragment(client_for, plan):
    response = client_for("csm").post(url(plan), {"effective_date": "x"}, headers=HTMX)
    assert "<h1>" not in response.text
    assert "Enter a valid date" in response.text


def test_htmx_the_same_date_says_so_in_place(client_for, plan, children):
    response = client_for("csm").post(url(plan), {"effective_date": "2026-01-05"}, headers=HTMX)
    assert response.status_code == 200
    assert "<h1>" not in response.text
    assert 'id="messages"' in response.text and 'hx-swap-oob="true"' in response.text
    assert "The effective date is unchanged." in response.text
    assert dates_of(children["edited"]) == (days(7), days(50))


def test_htmx_confirm_sends_the_whole_page_to_the_plan(client_for, plan, children):
    response = client_for("csm").post(
        url(plan), {"effective_date": "2026-02-04", "confirmed": "1"}, headers=HTMX
    )
    assert response["HX-Redirect"] == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.effective_date == FEB_4


# -- the link ---------------------------------------------------------------------------------
def test_customer_success_finds_the_link_on_the_record_page(client_for, plan):
    text = client_for("csm").get(plan.get_absolute_url()).text
    assert text.count(f'href="{url(plan)}"') == 2  # header action and Details tab
    assert ">Change effective date</a>" in text


def test_the_edit_window_points_to_the_change_page(client_for, plan):
    text = client_for("csm").get(reverse("successplans:plan-edit", args=[plan.pk])).text
    assert f'<a href="{url(plan)}">Change effective date</a>' in text


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_get_no_link(client_for, plan, who):
    text = client_for(who).get(plan.get_absolute_url()).text
    assert url(plan) not in text
    assert "Change effective date" not in text


# -- who --------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
def test_view_only_roles_may_not_open_the_page(client_for, plan, who):
    assert client_for(who).get(url(plan)).status_code == 403


@pytest.mark.parametrize("who", ["participant", "agent", "manager"])
@pytest.mark.parametrize("confirmed", ["", "1"])
def test_view_only_roles_may_not_change_the_date(client_for, plan, children, who, confirmed):
    response = client_for(who).post(
        url(plan), {"effective_date": "2026-02-04", "confirmed": confirmed}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.effective_date == JAN_5
    assert dates_of(children["objective"]) == (days(10), days(40))
    assert dates_of(children["edited"]) == (days(7), days(50))


def test_it_refuses_a_user_without_role(client_for, plan):
    assert client_for("no_role_user").get(url(plan)).status_code == 403
    response = client_for("no_role_user").post(
        url(plan), {"effective_date": "2026-02-04", "confirmed": "1"}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.effective_date == JAN_5


def test_it_sends_strangers_to_login(client_for, plan):
    response = client_for(None).get(url(plan))
    assert response.status_code == 302
    assert response.url == f"/login/?next={url(plan)}"
    client_for(None).post(url(plan), {"effective_date": "2026-02-04", "confirmed": "1"})
    plan.refresh_from_db()
    assert plan.effective_date == JAN_5


def test_unknown_plan_is_404(client_for, db):
    assert client_for("csm").get("/plans/999999/effective-date/").status_code == 404
