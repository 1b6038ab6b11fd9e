"""Every list's filter bar speaks in words: a label per field, and "Any" for an unset yes/no."""

import re

import pytest
from django.urls import reverse

LISTS = [
    ("playbooks:case-list", "agent"),
    ("playbooks:review", "manager"),
    ("successplans:plan-list", "csm"),
    ("successplans:challenge-list", "csm"),
    ("successplans:tracker", "csm"),
    ("engagements:account-list", "csm"),
    ("engagements:engagement-list", "csm"),
]


@pytest.mark.parametrize(("url_name", "who"), LISTS)
def test_every_filter_field_has_a_readable_label(client_for, url_name, who):
    html = client_for(who).get(reverse(url_name)).text
    assert "[invalid name]" not in html
    assert ">Unknown</option>" not in html
    labels = re.findall(r'<label for="id_[^"]+">([^<]*)</label>', html)
    assert labels, "the page has a filter bar"
    assert all(label.strip() for label in labels)


def test_the_case_list_filters_read_as_the_workspace_says(client_for):
    html = client_for("agent").get(reverse("playbooks:case-list")).text
    for label in ("State", "Phase", "Account", "Engagement", "Assigned to me", "I am in the squad"):
        assert f">{label}</label>" in html
    assert ">Engagement account</label>" not in html
    assert '<option value="" selected>Any</option>' in html
