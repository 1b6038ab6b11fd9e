"""The Review workspace's queries and figures, computed in the database.

Managers review closed and canceled success cases. Every figure is computed
by the database over the filtered set of cases, in a fixed number of queries
whatever the number of cases (``figures``):

- one query grouped by week of closing, state and closure code gives every
  count (cases, closed, canceled, reviewed, per code, per week), the meetings
  and tasks of those cases and the averages (as sums and counts, added up over
  the groups);
- the median and 90th percentile of the cycle time, one query: ``PERCENTILE_CONT``
  on PostgreSQL; SQLite has no percentile function, so there the values at two
  offsets of the cycle times in order (see ``cycle_time_percentile``).

The figures only change when a case is closed, canceled or marked Reviewed, so
the page keeps them in the cache between those changes (``cached_figures``).

Time in phase and the cycle time are read from the case row itself: the
services keep there when the case left each lane (``initiate_ended_at``,
``assist_ended_at``, ``review_close_ended_at``: moving on, closing or
canceling) and its ``cycle_time`` (opening to closing), at the moment they
write the same facts to the journal as Phase changes (migration 0006 filled
older cases from those). Per case:

- Initiate lasts from ``opened_at`` until ``initiate_ended_at``;
- Assist from there until ``assist_ended_at``;
- Review & Close from there until ``review_close_ended_at``.

A phase the case never reached (a case canceled in Initiate has no Assist)
has no end, so no duration, and averages skip it. Durations are ``Elapsed``
expressions (``end - start``), native SQL on both backends. So the figures,
the list and the export read one table (plus the meeting and task counts),
never the journal (no join of the Phase changes), and the export streams in
the list's index order.

The queries live in the modules below and are re-exported here, so callers use
``playbooks.reports.<name>``.
"""

from .cache import FIGURES_TIMEOUT
from .cache import cached_figures
from .cache import filters_key
from .cases import PHASE_DURATIONS
from .cases import in_list_order
from .cases import review_cases
from .cases import timeline
from .cases import with_case_figures
from .export import EXPORT_HEADER
from .export import csv_chunks
from .export import export_rows
from .export import hours
from .expressions import Elapsed
from .expressions import PercentileCont
from .expressions import WeekStart
from .figures import WEEKS_SHOWN
from .figures import CodeShare
from .figures import Figures
from .figures import PhaseTime
from .figures import WeekCount
from .figures import cycle_time_percentile
from .figures import cycle_time_percentiles
from .figures import figures
from .rows import ReviewRow
from .rows import review_list_rows

__all__ = [
    "EXPORT_HEADER",
    "FIGURES_TIMEOUT",
    "PHASE_DURATIONS",
    "WEEKS_SHOWN",
    "CodeShare",
    "Elapsed",
    "Figures",
    "PercentileCont",
    "PhaseTime",
    "ReviewRow",
    "WeekCount",
    "WeekStart",
    "cached_figures",
    "csv_chunks",
    "cycle_time_percentile",
    "cycle_time_percentiles",
    "export_rows",
    "figures",
    "filters_key",
    "hours",
    "in_list_order",
    "review_cases",
    "review_list_rows",
    "timeline",
    "with_case_figures",
]
