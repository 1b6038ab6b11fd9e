"""The Content-Security-Policy's consequences for our pages: the tracker's bars are placed
without inline styles. That no page of any role (and of the admin and the API docs) logs a
violation is checked by the crawl of test_every_page.py.
"""

from playwright.sync_api import expect


def test_the_tracker_bars_are_placed_without_inline_styles(demo, sign_in, page):
    sign_in("csm")
    page.goto(f"{demo.url}/tracker/")

    bar = page.locator(".tracker-bar").first
    expect(bar).to_be_visible()
    # static/js/app.js copies data-style into the element's style through the CSSOM.
    left, width = bar.get_attribute("data-style").split(";")
    placed = bar.evaluate("el => [el.style.left, el.style.width]")
    assert [float(v.strip(" %")) for v in placed] == [
        float(left.split(":")[1].strip(" %")),
        float(width.split(":")[1].strip(" %")),
    ]
    assert page.locator("[style]").count() == page.locator("[data-style]").count()
