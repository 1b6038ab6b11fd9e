"""The admin's editable lists take one page of rows, not what a post claims (issue 18, 8).

The playbook order, the closure codes and the business challenge categories are edited in
their changelists (a formset):
a post claiming ``TOTAL_FORMS=2147483647`` built 2,000 rows there.
"""

from __future__ import annotations

import pytest

from core.formsets import ROW_MARGIN
from playbooks.models import ActivityDefinition
from playbooks.models import ClosureCode
from successplans.models import ChallengeCategory

HUGE = "2147483647"


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/admin/playbooks/activitydefinition/", ActivityDefinition),
        ("/admin/playbooks/closurecode/", ClosureCode),
        ("/admin/successplans/challengecategory/", ChallengeCategory),
    ],
    ids=["playbook order", "closure codes", "challenge categories"],
)
def test_an_editable_list_refuses_a_post_claiming_millions_of_rows(
    admin_client, django_assert_max_num_queries, url, model
):
    rows = list(admin_client.get(url).context["cl"].result_list)
    data = {"form-TOTAL_FORMS": HUGE, "form-INITIAL_FORMS": str(len(rows)), "_save": "Save"}
    for index, row in enumerate(rows):
        data[f"form-{index}-id"] = str(row.pk)
        data[f"form-{index}-order"] = str(row.order + 1000)
        if row.active:
            data[f"form-{index}-active"] = "on"
    before = sorted(model.objects.values_list("pk", "order"))

    with django_assert_max_num_queries(20 + len(rows)):
        response = admin_client.post(url, data)

    assert response.status_code == 200
    limit = response.context["cl"].list_per_page + ROW_MARGIN
    assert len(response.context["cl"].formset.forms) <= limit
    assert f"Please submit at most {limit} forms." in response.text
    assert sorted(model.objects.values_list("pk", "order")) == before
