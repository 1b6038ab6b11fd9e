"""A reviewed case's page: the full timeline, oldest first, and Mark Reviewed with a note."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from playbooks import services
from playbooks.models import JournalEntry
from playbooks.models import SuccessCase


def page_url(case: SuccessCase) -> str:
    return reverse("playbooks:review-case", args=[case.number])


def mark_url(case: SuccessCase) -> str:
    return reverse("playbooks:review-mark", args=[case.number])


@pytest.fixture
def client(client_for):
    return client_for("manager")


def test_it_shows_the_whole_timeline_oldest_first(client, closed_case):
    response = client.get(page_url(closed_case))
    assert response.status_code == 200
    timeline = list(response.context["timeline"])
    assert len(timeline) == JournalEntry.objects.filter(case=closed_case).count()
    assert [e.pk for e in timeline] == sorted(e.pk for e in timeline)
    html = response.text
    # Comments, work notes and changes, with who and when.
    for text in (
        "We expect 80% weekly active users.",
        "Train the leads, then the floor.",
        "<strong>Phase</strong>: Initiate → Assist",
        "<strong>Phase</strong>: Review &amp; Close → Closed",
        "<strong>Activity: Add squad</strong>: In progress → Complete",
        closed_case.assigned_to.get_full_name(),
    ):
        assert text in html
    assert html.index("Initiate → Assist") < html.index("Review &amp; Close → Closed")


def test_it_shows_the_case_figures_and_outcome(client, review_set):
    html = client.get(page_url(review_set["SCS0000003"])).text
    assert 'data-testid="case-cycle-time">30.0 hours (30.0 hours)' in html
    assert "Adoption reached 84%." in html  # close notes
    assert "<dt>Assist</dt><dd>12.0 hours</dd>" in html
    assert "Mark Reviewed" in html


def test_it_is_read_only(client, closed_case):
    html = client.get(page_url(closed_case)).text
    assert "Read-only" in html
    for action in ("Close success case", "Cancel", "Mark Complete", "New meeting"):
        assert f">{action}<" not in html


def test_marking_reviewed_keeps_the_note_in_the_case_and_the_timeline(client, closed_case, manager):
    response = client.post(mark_url(closed_case), {"review_note": "  Clean handover.  "})
    assert response.status_code == 302
    assert response.url == page_url(closed_case)
    closed_case.refresh_from_db()
    assert closed_case.reviewed_by == manager
    assert closed_case.reviewed_at is not None
    assert closed_case.review_note == "Clean handover."
    entry = JournalEntry.objects.filter(case=closed_case).order_by("-pk").first()
    assert (entry.kind, entry.field, entry.old_value, entry.new_value, entry.body) == (
        "change",
        "Reviewed",
        "No",
        "Yes",
        "Clean handover.",
    )
    assert entry.author == manager and entry.created_at == closed_case.reviewed_at
    page = client.get(page_url(closed_case))
    assert f"{closed_case.number} is marked Reviewed." in page.text
    assert "<strong>Reviewed</strong>: No → Yes" in page.text
    assert "Clean handover." in page.text
    assert ">Mark Reviewed<" not in page.text


def test_an_empty_note_is_refused_next_to_the_field(client, closed_case):
    response = client.post(mark_url(closed_case), {"review_note": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"review_note": ["Enter a review note."]}
    assert '<p class="field-error">Enter a review note.</p>' in response.text
    closed_case.refresh_from_db()
    assert closed_case.reviewed_at is None
    assert not JournalEntry.objects.filter(case=closed_case, field="Reviewed").exists()


def test_marking_twice_is_refused_with_who_was_first(client, closed_case, manager):
    client.post(mark_url(closed_case), {"review_note": "First."})
    response = client.post(mark_url(closed_case), {"review_note": "Second."}, follow=True)
    assert f"{closed_case.number} was already marked Reviewed by {manager.get_full_name()}" in (
        response.text
    )
    closed_case.refresh_from_db()
    assert closed_case.review_note == "First."
    assert JournalEntry.objects.filter(case=closed_case, field="Reviewed").count() == 1


def test_canceled_cases_are_reviewed_too(client, review_set):
    canceled = review_set["SCS0000006"]
    client.post(mark_url(canceled), {"review_note": "Paused by the customer; fine."})
    canceled.refresh_from_db()
    assert canceled.reviewed_at is not None


def test_the_service_refuses_open_cases_other_roles_and_empty_notes(
    closed_case, agent, manager, engagement
):
    open_case = services.success_case_create(engagement=engagement, user=agent).case
    with pytest.raises(services.DomainError, match="only closed or canceled cases"):
        services.success_case_mark_reviewed(case_pk=open_case.pk, user=manager, note="Early.")
    with pytest.raises(PermissionDenied):
        services.success_case_mark_reviewed(case_pk=closed_case.pk, user=agent, note="Mine.")
    with pytest.raises(services.DomainError, match="Enter a review note"):
        services.success_case_mark_reviewed(case_pk=closed_case.pk, user=manager, note=" ")
    assert not SuccessCase.objects.filter(reviewed_at__isnull=False).exists()


def test_the_database_refuses_a_review_of_an_open_case(open_case, manager):
    from django.db import IntegrityError
    from django.db import transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        SuccessCase.objects.filter(pk=open_case.pk).update(
            reviewed_at=timezone.now(), reviewed_by=manager, review_note="Sneaky."
        )


def test_the_page_takes_a_fixed_number_of_queries(
    client, review_set, closed_case, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as small:
        client.get(page_url(review_set["SCS0000001"]))
    with django_assert_max_num_queries(20) as large:
        client.get(page_url(closed_case))  # many more journal entries, meetings none
    assert len(small.captured_queries) == len(large.captured_queries)
