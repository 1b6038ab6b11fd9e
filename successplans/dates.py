"""Date arithmetic in SQL that works on SQLite and PostgreSQL (whole days)."""

from django.db.models import DateField
from django.db.models import Func
from django.db.models import IntegerField


def _compiled(compiler, expressions):
    parts = [compiler.compile(expression) for expression in expressions]
    return [sql for sql, _ in parts], [param for _, params in parts for param in params]


class AddDays(Func):
    """``date + days`` (an integer expression), a date."""

    output_field = DateField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        day, day_params = compiler.compile(self.get_source_expressions()[0])
        days, days_params = compiler.compile(self.get_source_expressions()[1])
        # printf() turns NULL into +0: keep a missing number of days missing.
        shifted = f"date({day}, printf('%%+d days', {days}))"
        sql = f"CASE WHEN ({days}) IS NULL THEN NULL ELSE {shifted} END"
        return sql, [*days_params, *day_params, *days_params]

    def as_postgresql(self, compiler, connection, **extra):
        (day, days), params = _compiled(compiler, self.get_source_expressions())
        return f"(({day})::date + ({days})::integer)", params


class DaysBetween(Func):
    """``later - earlier`` in whole days, an integer."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        (later, earlier), params = _compiled(compiler, self.get_source_expressions())
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)", params

    def as_postgresql(self, compiler, connection, **extra):
        (later, earlier), params = _compiled(compiler, self.get_source_expressions())
        return f"(({later})::date - ({earlier})::date)", params
