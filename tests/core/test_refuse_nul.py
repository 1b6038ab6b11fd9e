"""A NUL character in any input is refused with a 400 before a view runs (core/middleware.py).

On PostgreSQL such a value reached a query through filters, search-as-you-type and path
segments and raised a DataError (a 500); the tests run on both databases.
"""

import pytest
from django.urls import reverse

from engagements.models import Contact
from tests.factories import AccountFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/cases/?q=%00",
        "/plans/?name=a%00b",
        "/accounts/?sort=%00",
        "/business-challenges/?plan=%00",
        "/tracker/?q=x%00",
        "/cases/SCS%00/",
        "/cases/?%00=1",
    ],
)
def test_a_nul_anywhere_in_a_get_is_a_400_with_the_reason(client_for, url):
    response = client_for("csm").get(url)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_form_field_is_a_400_and_nothing_is_written(client_for):
    account = AccountFactory(name="Contoso")
    url = reverse("engagements:account-contact-new", args=[account.pk])
    response = client_for("csm").post(url, {"name": "Ann\x00", "email": "ann@example.com"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_ordinary_requests_pass(client_for):
    AccountFactory(name="Contoso")
    response = client_for("csm").get("/accounts/?q=Contoso")
    assert response.status_code == 200
    assert "Contoso" in response.content.decode()
