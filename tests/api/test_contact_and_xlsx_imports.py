"""Contacts from the CRM (matched on their account and email) and XLSX files, through the
same admin import: a dry-run preview with each row's errors, then confirm; all or nothing."""

from __future__ import annotations

import io

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from api.imports import ContactResource
from engagements.models import Account
from engagements.models import Contact
from tests.factories import AccountFactory
from tests.test_access_matrix import row_counts

HEADER = "account,email,name,title,phone,role,is_primary\n"
CONTACTS = (
    HEADER + "crm-1,ana@acme.example,Ana Ruiz,CFO,,sponsor,1\n"
    "crm-1,li@acme.example,Li Wei,IT lead,+49 30 1234,champion,0\n"
)


@pytest.fixture
def acme(db) -> Account:
    return AccountFactory(name="Acme Logistics", external_id="crm-1")


def run(text: str, *, dry_run: bool = False):
    dataset = tablib.Dataset().load(text, format="csv")
    return ContactResource().import_data(dataset, dry_run=dry_run)


def test_contacts_are_created_then_the_same_file_changes_nothing(acme):
    first = run(CONTACTS)
    assert not first.has_errors() and not first.has_validation_errors()
    ana = Contact.objects.get(account=acme, email="ana@acme.example")
    assert (ana.name, ana.role, ana.is_primary) == ("Ana Ruiz", "sponsor", True)

    again = run(CONTACTS)

    assert (again.totals["new"], again.totals["update"], again.totals["skip"]) == (0, 0, 2)
    assert acme.contacts.count() == 2


def test_a_contact_is_found_by_account_and_email_whatever_its_case(acme):
    run(CONTACTS)
    result = run(CONTACTS.replace("ana@acme.example,Ana Ruiz,CFO", "ANA@acme.example,Ana Ruiz,CEO"))
    assert result.totals["update"] == 1
    assert Contact.objects.get(account=acme, email="ana@acme.example").title == "CEO"
    assert acme.contacts.count() == 2


@pytest.mark.parametrize(
    "bad_row",
    [
        "crm-404,x@unknown.example,Nobody,,,user,0\n",  # no account with that external id
        "crm-1,,No Email,,,user,0\n",  # the email is the key
        "crm-1,not-an-email,Bad Email,,,user,0\n",
        "crm-1,bo@acme.example,Second Primary,,,user,1\n",  # one primary per account
        "crm-1,cy@acme.example,,,,user,0\n",  # a name is required
        "crm-1,di@acme.example,Di,,,boss,0\n",  # not a role
    ],
)
def test_one_bad_contact_row_imports_no_row(acme, bad_row):
    before = row_counts()
    result = run(CONTACTS + bad_row)
    assert result.has_errors() or result.has_validation_errors()
    assert row_counts() == before


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def admin_client(db) -> Client:
    admin = get_user_model().objects.create_superuser("t-root", "root@example.com", "pw")
    client = Client()
    client.force_login(admin)
    return client


def _formats(client: Client, url: str) -> dict[str, str]:
    form = client.get(url).context["form"]
    return {label: value for value, label in form.fields["format"].choices if value != ""}


def test_an_admin_imports_contacts_from_xlsx_preview_then_confirm(acme, admin_client):
    url = reverse("admin:engagements_contact_import")
    formats = _formats(admin_client, url)
    assert set(formats) == {"csv", "xlsx"}
    content = _xlsx(
        [
            ["account", "email", "name", "title", "phone", "role", "is_primary"],
            ["crm-1", "ana@acme.example", "Ana Ruiz", "CFO", "", "sponsor", 1],
        ]
    )
    upload = SimpleUploadedFile("contacts.xlsx", content)

    preview = admin_client.post(
        url, {"format": formats["xlsx"], "import_file": upload, "resource": "0"}
    )

    assert preview.status_code == 200
    assert "Ana Ruiz" in preview.content.decode()
    assert not Contact.objects.exists()  # only the preview so far
    done = admin_client.post(
        reverse("admin:engagements_contact_process_import"), preview.context["confirm_form"].initial
    )
    assert done.status_code == 302
    assert Contact.objects.get(account=acme).email == "ana@acme.example"


def test_an_xlsx_with_a_bad_row_shows_its_error_and_writes_nothing(acme, admin_client):
    url = reverse("admin:engagements_account_import")
    content = _xlsx(
        [
            ["external_id", "name", "industry", "tier", "owner"],
            ["crm-2", "Borealis Foods", "Food", "commercial", ""],
            ["crm-3", "Cobalt", "Mining", "gold", ""],
        ]
    )
    upload = SimpleUploadedFile("accounts.xlsx", content)
    before = row_counts()

    preview = admin_client.post(
        url, {"format": _formats(admin_client, url)["xlsx"], "import_file": upload, "resource": "0"}
    )

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "gold" in page and "is not a valid choice" in page
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert row_counts() == before


def test_the_demo_gives_its_accounts_crm_ids_once(db):
    from api.demo import seed_api

    AccountFactory(name="Zephyr", external_id="crm-0001")
    acme, borealis = AccountFactory(name="Acme"), AccountFactory(name="Borealis")

    seed_api()
    seed_api()

    ids = dict(Account.objects.values_list("name", "external_id"))
    assert ids == {"Zephyr": "crm-0001", "Acme": "crm-0002", "Borealis": "crm-0003"}
    assert {acme.pk, borealis.pk} <= set(Account.objects.values_list("pk", flat=True))
