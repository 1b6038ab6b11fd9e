"""The page cache (successhub/page_cache.py): answered from memory, retired by any write,
never across people or sessions, never over waiting messages."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.urls import reverse

from core.generations import bump
from core.generations import current
from core.models import Generation
from playbooks import services
from successhub.page_cache import GENERATION
from tests.factories import EngagementFactory

LIST = reverse("playbooks:case-list")


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def case(agent):
    engagement = EngagementFactory(name="Warehouse module adoption")
    return services.success_case_create(engagement=engagement, user=agent).case


def warm(client, url):
    """The first answer sets the CSRF cookie; the second is rendered and kept."""
    client.get(url)
    return client.get(url)


@pytest.mark.django_db
def test_a_kept_page_is_answered_without_its_queries(
    page_cache, client_for, case, django_assert_max_num_queries
):
    client = client_for("agent")
    rendered = warm(client, LIST)
    assert case.number in rendered.content.decode()
    with django_assert_max_num_queries(3):  # session, user, write generation
        again = client.get(LIST)
    assert again.content == rendered.content


@pytest.mark.django_db
def test_a_write_request_retires_every_kept_page(page_cache, client_for, agent, case):
    client = client_for("agent")
    warm(client, LIST)
    before = current(GENERATION)
    engagement = EngagementFactory(name="Second engagement")
    response = client.post(
        reverse("playbooks:case-new"), {"number": "SCS0009999", "engagement": engagement.pk}
    )
    assert response.status_code == 302
    assert current(GENERATION) != before
    assert "Second engagement" in client.get(LIST).content.decode()


@pytest.mark.django_db
def test_a_refused_write_retires_nothing(page_cache, client_for, case):
    client = client_for("participant")
    before = current(GENERATION)
    response = client.post(reverse("playbooks:case-new"), {"number": "SCS0009999"})
    assert response.status_code == 403
    assert current(GENERATION) == before


@pytest.mark.django_db
def test_a_row_changed_outside_a_request_shows_after_the_next_write(page_cache, client_for, case):
    client = client_for("agent")
    warm(client, LIST)
    case.short_description = "Renamed in the shell"
    case.save(update_fields=["short_description"])
    assert "Renamed in the shell" not in client.get(LIST).content.decode()  # kept
    bump(GENERATION)
    assert "Renamed in the shell" in client.get(LIST).content.decode()


@pytest.mark.django_db
def test_another_person_never_gets_my_page(page_cache, client_for, case, participant):
    url = reverse("playbooks:case-detail", args=[case.number])
    mine = warm(client_for("agent"), url).content.decode()
    reader = client_for("participant")  # reads the case, may not work it
    theirs = [reader.get(url).content.decode() for _ in range(3)]
    name = participant.get_full_name()
    assert all(name in page and name not in mine for page in theirs)
    nobody = client_for("no_role_user")
    assert [nobody.get(url).status_code for _ in range(3)] == [403, 403, 403]


@pytest.mark.django_db
def test_a_page_with_a_message_waiting_is_rendered_afresh(page_cache, client_for, case, rf):
    client = client_for("agent")
    warm(client, LIST)
    storage = CookieStorage(rf.get("/"))
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Something just happened")]
    )
    assert "Something just happened" in client.get(LIST).content.decode()


@pytest.mark.django_db
def test_off_means_no_counting(client_for, case, settings):
    settings.PAGE_CACHE_SECONDS = 0
    engagement = EngagementFactory(name="Second engagement")
    client_for("agent").post(
        reverse("playbooks:case-new"), {"number": "SCS0009999", "engagement": engagement.pk}
    )
    assert not Generation.objects.filter(name=GENERATION).exists()


def test_a_generation_is_made_on_first_use_then_kept_until_bumped(db):
    from core.models import Generation

    first = current("a-new-name")
    assert Generation.objects.get(name="a-new-name").token == first == current("a-new-name")
    bump("a-new-name")
    assert current("a-new-name") == Generation.objects.get(name="a-new-name").token != first
