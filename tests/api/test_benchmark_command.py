"""``benchmark_api`` runs end to end at a tiny size and leaves nothing behind."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from playbooks.models import SuccessCase
from tests.test_access_matrix import row_counts


def test_it_measures_every_list_and_the_bare_view_and_rolls_back(db):
    before = row_counts()
    out = StringIO()

    call_command("benchmark_api", small=3, large=6, runs=1, patches=2, stdout=out)

    table = out.getvalue()
    assert "| Endpoint | 3 cases (ms) | 6 cases (ms) | ratio |" in table
    for name in ("cases, first page", "cases, 5th page", "accounts", "bare view (404)"):
        assert f"| {name} |" in table
    assert "KPI PATCH:" in table
    assert row_counts() == before
    assert not SuccessCase.objects.exists()
