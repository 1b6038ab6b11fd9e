"""CRM imports in the admin (django-import-export): a dry-run preview with each row's
errors, then confirm; matched on external_id, so the same file twice changes nothing; a
file with one bad row imports no row."""

from __future__ import annotations

import tablib
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from api.imports import AccountResource
from api.imports import EngagementResource
from engagements.models import Account
from engagements.models import Engagement

ACCOUNTS = (
    "external_id,name,industry,tier,owner\n"
    "crm-1,Acme Logistics,Logistics,enterprise,t-csm\n"
    "crm-2,Borealis Foods,Food,commercial,\n"
)


def run(resource, text: str, *, dry_run: bool = False):
    return resource().import_data(tablib.Dataset().load(text, format="csv"), dry_run=dry_run)


def test_an_import_creates_then_the_same_file_changes_nothing(csm):
    first = run(AccountResource, ACCOUNTS)
    assert not first.has_errors() and not first.has_validation_errors()
    acme = Account.objects.get(external_id="crm-1")
    assert (acme.name, acme.tier, acme.owner) == ("Acme Logistics", "enterprise", csm)

    again = run(AccountResource, ACCOUNTS)

    assert again.totals["new"] == 0 and again.totals["update"] == 0
    assert again.totals["skip"] == 2
    assert Account.objects.filter(external_id__startswith="crm-").count() == 2


def test_a_changed_row_updates_the_account_it_names(csm):
    run(AccountResource, ACCOUNTS)
    result = run(AccountResource, ACCOUNTS.replace("Acme Logistics", "Acme Logistics GmbH"))
    assert result.totals["update"] == 1
    assert Account.objects.get(external_id="crm-1").name == "Acme Logistics GmbH"


def test_one_bad_row_imports_nothing_from_the_file(csm):
    text = ACCOUNTS + "crm-3,,Retail,commercial,\ncrm-4,Delta,Retail,gold,nobody\n"

    result = run(AccountResource, text)

    assert result.has_validation_errors() or result.has_errors()
    assert not Account.objects.filter(external_id__startswith="crm-").exists()
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    assert "name" in invalid[3]  # the preview shows it next to the row
    broken = set(invalid) | {number for number, _ in result.row_errors()}
    assert broken == {3, 4}  # tier "gold", owner "nobody"


def test_engagements_name_their_account_by_its_external_id(csm):
    run(AccountResource, ACCOUNTS)
    text = (
        "external_id,name,account,stage,state,start_date,end_date,owner\n"
        "eng-1,Warehouse rollout,crm-1,onboarding,new,2026-01-05,,t-csm\n"
    )
    assert not run(EngagementResource, text).has_validation_errors()
    engagement = Engagement.objects.get(external_id="eng-1")
    assert engagement.account.external_id == "crm-1"

    unknown = run(EngagementResource, text.replace("crm-1", "crm-404").replace("eng-1", "eng-2"))
    assert unknown.has_errors() or unknown.has_validation_errors()
    assert not Engagement.objects.filter(external_id="eng-2").exists()


def test_a_row_without_external_id_is_refused(csm):
    result = run(AccountResource, "external_id,name,industry,tier,owner\n,Nameless,,commercial,\n")
    assert result.has_errors()
    assert "external_id is required" in str(result.row_errors()[0][1][0].error)
    assert not Account.objects.filter(name="Nameless").exists()


def test_an_admin_previews_then_confirms_an_import(csm):
    admin = get_user_model().objects.create_superuser("t-root", "root@example.com", "pw")
    client = Client()
    client.force_login(admin)
    url = reverse("admin:engagements_account_import")
    upload = SimpleUploadedFile("accounts.csv", ACCOUNTS.encode(), content_type="text/csv")

    preview = client.post(url, {"format": "0", "import_file": upload, "resource": "0"}, follow=True)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Acme Logistics" in page and "New" in page
    assert not Account.objects.filter(external_id="crm-1").exists()  # a dry run
    confirm = preview.context["confirm_form"]
    done = client.post(reverse("admin:engagements_account_process_import"), confirm.initial)
    assert done.status_code == 302
    assert Account.objects.filter(external_id__in=["crm-1", "crm-2"]).count() == 2
