"""What users type comes back harmless: escaped in pages, charts, the timeline, the admin
and mail; never read as a formula by a spreadsheet opening a CSV export."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from playbooks import services as case_services
from playbooks.models import ClosureCode
from tests.factories import EngagementFactory
from tests.factories import SuccessCaseFactory
from tests.factories import UserFactory
from tests.factories import activity_data
from tests.factories import open_activity

PAYLOAD = '<script>alert("x")</script><svg onload=alert(1)>'
RAW = ("<script>alert", "<svg onload")
#: What spreadsheets read as a formula (after spaces), and the tab / CR that start one too.
FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(1)", "\t=1", "\r=1", "  =HYPERLINK(1)"]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def _closed_case(agent, text: str):
    """A case worked to the end by ``agent``, every text it asks for being ``text``."""
    engagement = EngagementFactory(name=text, account__name=text, account__industry=text)
    case = SuccessCaseFactory(engagement=engagement, user=agent)
    while (activity := open_activity(case)) is not None:
        data = activity_data(activity, agent)
        for key in ("text", "close_notes", "description", "short_description"):
            if key in data:
                data[key] = text
        case_services.activity_complete(
            case_pk=case.pk, activity_pk=activity.pk, user=agent, data=data
        )
    case_services.success_case_close(case_pk=case.pk, user=agent)
    return case


@pytest.fixture
def hostile_case(agent, manager):
    agent.first_name = PAYLOAD
    agent.save(update_fields=["first_name"])
    case = _closed_case(agent, PAYLOAD)
    ClosureCode.objects.filter(pk=case.closure_code_id).update(name=PAYLOAD)
    case_services.success_case_mark_reviewed(case_pk=case.pk, user=manager, note=PAYLOAD)
    return case


def _pages(case) -> list[tuple[str, str]]:
    return [
        ("agent", "/"),
        ("agent", reverse("playbooks:case-list")),
        ("agent", reverse("playbooks:case-detail", args=[case.number])),
        ("manager", reverse("playbooks:review")),  # the SVG charts name the closure codes
        ("manager", reverse("playbooks:review-case", args=[case.number])),  # the timeline
        ("manager", reverse("engagements:account-list")),
        ("manager", reverse("engagements:account-detail", args=[case.engagement.account_id])),
        ("manager", reverse("engagements:engagement-detail", args=[case.engagement_id])),
    ]


def test_user_text_is_escaped_in_every_page(client_for, hostile_case):
    for who, path in _pages(hostile_case):
        response = client_for(who).get(path)
        assert response.status_code == 200, path
        for raw in RAW:
            assert raw not in response.text, path
    review = client_for("manager").get(reverse("playbooks:review")).text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in review  # shown, as text


def test_user_text_is_escaped_in_the_admin(client, hostile_case):
    client.force_login(UserFactory(username="t-admin", is_staff=True, is_superuser=True))
    for path in (
        reverse("admin:playbooks_successcase_changelist"),
        reverse("admin:playbooks_successcase_change", args=[hostile_case.pk]),
        reverse("admin:engagements_account_changelist"),
        reverse("admin:playbooks_closurecode_changelist"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        for raw in RAW:
            assert raw not in response.text, path


def test_user_text_is_escaped_in_mail(agent, settings):
    from notifications.models import Notification
    from notifications.tasks import send_notification_mail

    agent.email = "agent@example.com"
    agent.save(update_fields=["email"])
    notification = Notification.objects.create(
        user=agent, event="case_assigned", text=PAYLOAD, url="/", mail=Notification.Mail.PENDING
    )
    mail.outbox.clear()

    send_notification_mail.call(notification.pk)

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for raw in RAW:
        assert raw not in html
    assert "&lt;script&gt;" in html


def _cells(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_csv_export_neutralises_every_text_column(client_for, agent, manager, formula):
    agent.first_name = formula
    agent.last_name = formula
    agent.save(update_fields=["first_name", "last_name"])
    case = _closed_case(agent, formula)
    ClosureCode.objects.filter(pk=case.closure_code_id).update(name=formula)

    exports = {
        "review": reverse("playbooks:review-export"),
        "accounts": reverse("engagements:account-export"),
    }
    for name, url in exports.items():
        rows = _cells(client_for("manager").get(url))
        assert len(rows) >= 2, name  # the header and the case's / account's row
        texts = [cell for row in rows[1:] for cell in row]
        assert any(cell == "'" + formula for cell in texts), name
        offending = [cell for cell in texts if cell.lstrip(" ").startswith(DANGEROUS_START)]
        assert offending == [], name
