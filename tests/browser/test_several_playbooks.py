"""Several playbooks in Chromium: the agent chooses the Renewal play at New, and the case
page shows that playbook's lanes and activities (issue 12 item 11)."""

from __future__ import annotations

from playwright.sync_api import expect

from playbooks.models import SuccessCase


def test_a_second_playbook_chosen_at_new_gives_the_case_its_lanes(demo, sign_in, page):
    sign_in("agent")
    nav = page.get_by_role("navigation", name="Workspace")
    nav.get_by_role("link", name="Success Cases").click()
    page.get_by_role("link", name="New", exact=True).click()

    # The default playbook is chosen; the agent picks the Renewal play instead.
    playbook = page.get_by_label("Playbook", exact=True)
    expect(playbook.locator("option:checked")).to_have_text("Success case playbook")
    expect(playbook.locator("option")).to_have_text(
        ["Success case playbook", "Onboarding play", "Renewal play"]
    )
    page.get_by_label("Engagement", exact=True).fill("contoso")
    page.get_by_role("radio", name="Contoso Health: Clinical rollout adoption").check()
    playbook.select_option(label="Renewal play")
    page.get_by_role("button", name="Continue").click()

    # The case follows the Renewal play: its name, and its activities in the three lanes.
    expect(page.get_by_test_id("playbook-name")).to_have_text("Renewal play")
    number = page.get_by_test_id("case-number").inner_text()
    lanes = [page.get_by_test_id(f"lane-{index}") for index in (1, 2, 3)]
    expect(lanes[0]).to_contain_text("Initiate")
    expect(lanes[0]).to_contain_text("Add squad")
    expect(lanes[1]).to_contain_text("Review usage and health")
    expect(lanes[1]).to_contain_text("Executive business review")
    expect(lanes[1]).to_contain_text("Send the renewal proposal")
    expect(lanes[1]).not_to_contain_text("Communicate the intended outcome")
    expect(lanes[2]).to_contain_text("Communicate the renewal outcome")
    case = SuccessCase.objects.select_related("playbook_version__definition").get(number=number)
    assert case.playbook_version.definition.name == "Renewal play"
