"""Export CSV: the filtered Review list, one row per case with its figures, streamed."""

from __future__ import annotations

import csv
import io
import zoneinfo

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.formatting import shared_full_names
from playbooks import reports
from playbooks import services
from playbooks.models import ClosureCode

from .conftest import _at
from .conftest import make_reviewable_case

URL = reverse("playbooks:review-export")
HEADER = [
    "Number",
    "Account",
    "Engagement",
    "State",
    "Closure code",
    "Assigned to",
    "Opened",
    "Closed",
    "Cycle time hours",
    "Initiate hours",
    "Assist hours",
    "Review & Close hours",
    "Meetings",
    "Tasks",
    "Reviewed",
]


def read(response) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def test_it_streams_one_row_per_case_with_its_figures(client_for, review_set, agent, manager):
    services.success_case_mark_reviewed(
        case_pk=review_set["SCS0000003"].pk, user=manager, note="Good."
    )
    response = client_for("manager").get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="success-cases-review-')
    rows = {row["Number"]: row for row in read(response)}
    assert len(rows) == 7
    assert rows["SCS0000003"] == {
        "Number": "SCS0000003",
        "Account": review_set["SCS0000003"].engagement.account.name,
        "Engagement": "Warehouse module adoption",
        "State": "Closed",
        "Closure code": "Outcome achieved",
        "Assigned to": agent.get_full_name(),
        "Opened": "2026-03-11 06:00",
        "Closed": "2026-03-12 12:00",
        "Cycle time hours": "30.00",
        "Initiate hours": "6.00",
        "Assist hours": "12.00",
        "Review & Close hours": "12.00",
        "Meetings": "0",
        "Tasks": "3",
        "Reviewed": "Yes",
    }
    canceled = rows["SCS0000006"]
    assert (canceled["State"], canceled["Closure code"]) == ("Canceled", "")
    assert (canceled["Initiate hours"], canceled["Assist hours"]) == ("7.00", "")
    assert rows["SCS0000001"]["Meetings"] == "2"
    assert rows["SCS0000001"]["Reviewed"] == "No"


def test_it_exports_the_filtered_list_in_its_order(client_for, review_set):
    code = ClosureCode.objects.get(name="Outcome achieved")
    response = client_for("manager").get(URL, {"closure_code": code.pk, "sort": "-cycle_time"})
    assert [row["Number"] for row in read(response)] == ["SCS0000003", "SCS0000002", "SCS0000001"]


def test_bad_filters_send_back_to_the_list_with_the_message(client_for, review_set):
    response = client_for("manager").get(URL, {"closed_from": "2026-13-01"}, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('playbooks:review')}?closed_from=2026-13-01"
    assert "Enter a valid date." in response.text


def test_names_that_look_like_formulas_are_kept_as_text(client_for, agent, engagement):
    engagement.name = "=HYPERLINK(1)"
    engagement.save()
    make_reviewable_case(
        "SCS0000001", engagement=engagement, agent=agent, closed_at=_at(3), hours=(1,)
    )
    (row,) = read(client_for("manager").get(URL))
    assert row["Engagement"] == "'=HYPERLINK(1)"


def test_rows_are_read_in_chunks_without_model_instances(review_set):
    """values_list().iterator(chunk_size): one query, rows come as tuples, chunk by chunk.

    (On PostgreSQL in a transaction of its own, with JIT off: those are not reads.) The
    people labels' shared names come with the signed-in user on a request
    (``core.auth.PersonLabelBackend``); called directly, they are read here first.
    """
    shared_full_names()
    with CaptureQueriesContext(connection) as captured:
        rows = list(reports.export_rows(reports.review_cases(), chunk_size=2))
    assert len([q for q in captured.captured_queries if "SELECT" in q["sql"]]) == 1
    assert len(rows) == 7
    chunks = list(reports.csv_chunks(rows, rows_per_chunk=3))
    assert len(chunks) == 3  # header + 3 rows, 3 rows, 1 row
    assert "".join(chunks).count("\n") == 8


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/St_Johns", "Europe/Paris"])
def test_opened_and_closed_are_the_minute_in_the_current_time_zone(review_set, zone):
    """On PostgreSQL the database writes them (``export._LocalMinute``); each must be what
    Python's time zone conversion prints, half-hour offsets and summer time included."""
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        rows = {row[0]: row for row in reports.export_rows(reports.review_cases())}
    assert set(rows) == set(review_set)
    for number, case in review_set.items():
        case.refresh_from_db()
        local = (
            case.opened_at.astimezone(zoneinfo.ZoneInfo(zone)),
            case.closed_at.astimezone(zoneinfo.ZoneInfo(zone)),
        )
        assert rows[number][6:8] == [f"{moment:%Y-%m-%d %H:%M}" for moment in local]
