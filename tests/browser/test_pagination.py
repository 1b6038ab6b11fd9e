"""Paging a list past the rows it counts: "More than N results", and the exact figure once
the asked page reaches the end (core.pagination.LimitedPaginator).

A list counts up to 10,000 rows; here the limit is 25 (one page), so that a hundred
accounts show what 10,000 and more would.
"""

from playwright.sync_api import expect

from core import pagination
from engagements.models import Account
from tests.factories import AccountFactory

NEXT = "Next \u203a"  # the link's text, with its single right-pointing angle quotation mark


def test_an_agent_pages_past_the_counted_rows_to_the_exact_figure(demo, sign_in, page, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 25)  # the live server runs in this process
    AccountFactory.create_batch(80)
    total = Account.objects.count()
    assert 75 < total <= 100, "the checks below expect the fourth page to be the last"

    sign_in("agent")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Accounts").click()
    pages = page.get_by_role("navigation", name="Pages")
    # Page 1 and the next are counted (50 rows); more follow.
    expect(pages).to_contain_text("Page 1 of more than 2")
    expect(page.get_by_text("More than 50 results")).to_be_visible()

    pages.get_by_role("link", name=NEXT).click()
    expect(pages).to_contain_text("Page 2 of more than 3")
    expect(page.get_by_text("More than 75 results")).to_be_visible()

    # Asking for page 3 counts up to page 4: every row, so the figure is exact.
    pages.get_by_role("link", name=NEXT).click()
    expect(pages).to_contain_text("Page 3 of 4")
    expect(page.get_by_text(f"{total} results", exact=True)).to_be_visible()
    expect(page.get_by_text("More than")).to_have_count(0)

    pages.get_by_role("link", name=NEXT).click()
    expect(pages).to_contain_text("Page 4 of 4")
    expect(page.locator("#account-results tbody tr")).to_have_count(total - 75)
    expect(pages.get_by_role("link", name=NEXT)).to_have_count(0)
