"""Issue 18, defect 3: Review's closed-between dates outside 1900-01-01..2999-12-31.

``/review/?closed_to=9999-12-31`` answered 500 (the day after it overflowed); now every
date outside the range is the filter form's message next to the field, on the list and
on the CSV export (which sends back to the list with the message).
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from core.dates import RANGE_MESSAGE

LIST = reverse("playbooks:review")
EXPORT = reverse("playbooks:review-export")
OUT_OF_RANGE = ["9999-12-31", "0001-01-01", "3000-01-01", "1899-12-31"]


def field_error(response, name: str) -> str:
    match = re.search(rf'id="id_{name}_error"><p class="field-error">(.*?)</p>', response.text)
    return unescape(match.group(1)) if match else ""


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("field", ["closed_from", "closed_to"])
def test_a_closed_date_outside_the_range_is_explained_next_to_the_field(
    client_for, review_set, field, day
):
    response = client_for("manager").get(LIST, {field: day})
    assert response.status_code == 200
    assert field_error(response, field) == RANGE_MESSAGE
    assert response.context["figures"].cases == 0
    assert "Some filters are not valid" in response.text


@pytest.mark.parametrize("day", OUT_OF_RANGE)
@pytest.mark.parametrize("field", ["closed_from", "closed_to"])
def test_the_export_sends_back_to_the_list_with_the_message(client_for, review_set, field, day):
    response = client_for("manager").get(EXPORT, {field: day}, follow=True)
    assert response.redirect_chain[0][0] == f"{LIST}?{field}={day}"
    assert response.status_code == 200
    assert field_error(response, field) == RANGE_MESSAGE


def test_the_last_day_of_the_range_is_a_valid_filter(client_for, review_set):
    response = client_for("manager").get(
        LIST, {"closed_from": "1900-01-01", "closed_to": "2999-12-31"}
    )
    assert response.status_code == 200
    assert response.context["filter"].form.errors == {}
    assert response.context["figures"].cases == len(review_set)
