"""Export CSV: a cell a spreadsheet would read as a formula is kept as text (CSV injection).

Spreadsheets skip leading spaces and line breaks before deciding that a cell is a
formula, so `` =HYPERLINK(...)`` is as dangerous as ``=HYPERLINK(...)``.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from .conftest import _at
from .conftest import make_reviewable_case

URL = reverse("playbooks:review-export")


def engagement_cell(response) -> str:
    text = b"".join(response.streaming_content).decode()
    header, row = list(csv.reader(io.StringIO(text)))
    return row[header.index("Engagement")]


@pytest.mark.parametrize(
    "name",
    [
        "=HYPERLINK(1)",
        " =HYPERLINK(1)",
        "  +1+1",
        "\n-1+1",
        "\r\n@SUM(A1)",
        "\t=1+1",
        " \t\n=1+1",
    ],
)
def test_a_formula_behind_leading_whitespace_is_kept_as_text(client_for, agent, engagement, name):
    engagement.name = name
    engagement.save()
    make_reviewable_case(
        "SCS0000001", engagement=engagement, agent=agent, closed_at=_at(3), hours=(1,)
    )
    cell = engagement_cell(client_for("manager").get(URL))
    assert cell == "'" + name  # the name itself is kept whole, only marked as text


@pytest.mark.parametrize("name", ["Warehouse rollout", " Warehouse rollout", "1-2-3 go"])
def test_ordinary_names_are_left_alone(client_for, agent, engagement, name):
    engagement.name = name
    engagement.save()
    make_reviewable_case(
        "SCS0000001", engagement=engagement, agent=agent, closed_at=_at(3), hours=(1,)
    )
    assert engagement_cell(client_for("manager").get(URL)) == name
