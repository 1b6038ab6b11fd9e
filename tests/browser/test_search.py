"""The top bar's search: a case number jumps to the case; words list the matches by kind."""

from playwright.sync_api import expect

from playbooks.models import SuccessCase


def test_search_by_case_number_jumps_to_the_case(demo, sign_in, page):
    case = SuccessCase.objects.order_by("number").first()
    sign_in("participant")
    box = page.get_by_role("searchbox", name="Search SuccessHub")
    box.fill(case.number.lower())
    box.press("Enter")
    expect(page).to_have_url(f"{demo.url}{case.get_absolute_url()}")
    expect(page.get_by_role("heading", name=case.number).first).to_be_visible()


def test_search_by_words_lists_the_matches_by_kind(demo, sign_in, page):
    sign_in("csm")
    box = page.get_by_role("searchbox", name="Search SuccessHub")
    box.fill("northwind")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    accounts = page.get_by_role("region", name="Accounts")
    expect(accounts.get_by_role("link", name="Northwind Traders")).to_be_visible()
    plans = page.get_by_role("region", name="Success plans")
    plans.get_by_role("link", name="Northwind platform success plan").click()
    expect(page.get_by_role("heading", name="Northwind platform success plan")).to_be_visible()


def test_an_empty_search_says_what_to_type(demo, sign_in, page):
    sign_in("agent")
    box = page.get_by_role("searchbox", name="Search SuccessHub")
    box.press("Enter")
    field = page.get_by_role("main").get_by_role("searchbox", name="Search")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(
        "Type a name, a word or a number (SCS…, SCTASK…) to search for."
    )
