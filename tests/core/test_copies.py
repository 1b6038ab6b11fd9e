from decimal import Decimal

from core.copies import copy_of
from successplans.models import Objective
from successplans.models import ObjectiveKPI
from successplans.services import KPIDraft


def test_it_copies_the_named_fields_and_sets_the_rest():
    draft = KPIDraft(name="Weekly active users", unit="users", baseline=Decimal(40))
    objective = Objective(name="Adoption")

    kpi = copy_of(ObjectiveKPI, draft, ("name", "unit", "baseline"), objective=objective)

    assert isinstance(kpi, ObjectiveKPI)
    assert (kpi.name, kpi.unit, kpi.baseline) == ("Weekly active users", "users", Decimal(40))
    assert kpi.objective is objective
    assert kpi.pk is None  # saving is the caller's


def test_it_copies_only_the_named_fields():
    draft = KPIDraft(name="NPS", target=Decimal(50))

    kpi = copy_of(ObjectiveKPI, draft, ("name",))

    assert kpi.name == "NPS"
    assert kpi.target is None
