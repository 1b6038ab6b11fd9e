"""An admin registers a webhook endpoint in the admin, sees the delivery an event made (with
its attempt), and sends it again with "Redeliver"; the receiver (on 127.0.0.1) gets the same
event id twice, so it can tell the second one is a repeat."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from api.models import WebhookDelivery
from api.models import WebhookEndpoint
from playbooks import services as case_services
from tests.api.test_webhooks import Receiver
from tests.conftest import make_user
from tests.factories import PASSWORD
from tests.factories import EngagementFactory
from tests.factories import UserFactory


def test_an_admin_registers_an_endpoint_sees_its_delivery_and_redelivers_it(
    live_server, role_groups, page, sign_in
):
    UserFactory(username="t-root", is_staff=True, is_superuser=True)
    agent = make_user("agent")
    sign_in("t-root", PASSWORD)

    with Receiver([200]) as receiver:
        # Register: the URL and the one event this receiver wants.
        page.goto(f"{live_server.url}/admin/api/webhookendpoint/add/")
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("Description").fill("CRM sync")
        page.get_by_label("case.created", exact=False).check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("#result_list").get_by_role("link", name=receiver.url)).to_be_visible()
        endpoint = WebhookEndpoint.objects.get(url=receiver.url)
        assert endpoint.event_types == ["case.created"]

        # An agent opens a case: one delivery, sent once.
        engagement = EngagementFactory(name="Warehouse module adoption")
        case = case_services.success_case_create(engagement=engagement, user=agent).case
        assert len(receiver.requests) == 1

        # The admin sees it among the deliveries, delivered, with its attempt.
        page.goto(f"{live_server.url}/admin/api/webhookdelivery/")
        row = page.locator("#result_list tbody tr").filter(has_text="case.created")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Delivered")
        row.get_by_role("link").first.click()
        expect(page.get_by_text("200").first).to_be_visible()

        # Redeliver: sent again now, the same event.
        page.goto(f"{live_server.url}/admin/api/webhookdelivery/")
        page.locator("#result_list input.action-select").first.check()
        page.locator("select[name=action]").select_option(label="Redeliver selected deliveries")
        page.get_by_role("button", name="Go").click()
        expect(page.get_by_text("1 delivery(ies) sent again.")).to_be_visible()

    assert len(receiver.requests) == 2
    first, second = (json.loads(body) for _, body in receiver.requests)
    assert first["id"] == second["id"]
    assert second["object"]["number"] == case.number
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 2)
