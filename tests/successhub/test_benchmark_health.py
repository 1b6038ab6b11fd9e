"""``manage.py benchmark_health`` at a tiny size: its table, and a clear refusal when run
again on the database that holds its large set."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from engagements.models import Account
from health.models import AccountHealth


@pytest.mark.django_db
def test_it_measures_both_sizes_then_refuses_the_same_database_again():
    out = StringIO()
    call_command("benchmark_health", accounts=14, runs=1, cases=4, stdout=out, stderr=StringIO())
    table = out.getvalue()
    assert "| plain list |" in table
    assert "Snapshot of 14 accounts" in table
    # Every account carries a stored score after the snapshot the command timed.
    assert AccountHealth.objects.count() == Account.objects.count() == 14
    with pytest.raises(CommandError, match="holds the large set of an earlier run"):
        call_command("benchmark_health", accounts=14, runs=1, cases=4, stdout=StringIO())
