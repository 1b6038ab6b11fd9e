"""An admin imports accounts from the CRM in the admin: uploads a CSV, reads the dry-run
preview (a bad row's error shown, nothing written), fixes the file and confirms."""

from __future__ import annotations

from playwright.sync_api import expect

from engagements.models import Account
from tests.factories import PASSWORD
from tests.factories import UserFactory

GOOD = (
    "external_id,name,industry,tier,owner\n"
    "crm-1,Acme Logistics,Logistics,enterprise,\n"
    "crm-2,Borealis Foods,Food,commercial,\n"
)


def test_an_admin_previews_and_confirms_an_account_import(
    live_server, role_groups, page, sign_in, tmp_path
):
    UserFactory(username="t-root", is_staff=True, is_superuser=True)
    sign_in("t-root", PASSWORD)
    bad = tmp_path / "accounts-bad.csv"
    bad.write_text(GOOD + "crm-3,Gamma,Retail,gold,\n")
    good = tmp_path / "accounts.csv"
    good.write_text(GOOD)

    page.goto(f"{live_server.url}/admin/engagements/account/")
    page.get_by_role("link", name="Import").click()
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    # The preview names the bad row's error; nothing is written.
    expect(page.get_by_text("gold").first).to_be_visible()
    expect(page.get_by_text("Errors").first).to_be_visible()
    assert not Account.objects.filter(external_id__startswith="crm-").exists()

    page.goto(f"{live_server.url}/admin/engagements/account/import/")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Acme Logistics")).to_be_visible()
    assert not Account.objects.filter(external_id__startswith="crm-").exists()  # a dry run
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_text("Import finished")).to_be_visible()
    assert Account.objects.filter(external_id__in=["crm-1", "crm-2"]).count() == 2
