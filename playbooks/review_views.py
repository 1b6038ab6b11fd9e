"""The Review workspace: Success Managers look back on closed and canceled success cases.

Every view here requires "review success case" (403 otherwise, GET and POST
alike). The list, its figures, its charts and the CSV export read the same
filtered queryset, so what is exported is what the page shows. Managers change
nothing on a case but its review (``services.success_case_mark_reviewed``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.feedback import attempt
from core.lists import filtered_rows
from core.lists import list_page

from . import charts
from . import reports
from . import services
from .models import CaseTask
from .models import Meeting
from .models import SuccessCase
from .review_forms import MarkReviewedForm
from .review_forms import ReviewFilter

review_cases = permission_required("playbooks.review_successcase", raise_exception=True)

#: Cases read per round trip while streaming the CSV export.
EXPORT_CHUNK_SIZE = 2000


def _filtered(request: HttpRequest) -> tuple[ReviewFilter, QuerySet[SuccessCase]]:
    """The filter bar and the cases it selects (none while its input is not valid)."""
    filterset = ReviewFilter(request.GET, queryset=reports.review_cases(), request=request)
    return filterset, filtered_rows(filterset)


@login_required
@review_cases
def review_list(request: HttpRequest) -> HttpResponse:
    """The filtered list with its figures and charts.

    The figures read every filtered case (most of a second at 100,000 on SQLite) but
    change only when a case is closed, canceled or marked Reviewed: they come from the
    cache, keyed by the filter values and the generation those services renew
    (``reports.cached_figures``, which says why the generation is in the database).
    """
    filterset, rows = _filtered(request)
    if filterset.is_valid():
        shown = {k: v for k, v in filterset.form.cleaned_data.items() if k != "sort"}
        figures = reports.cached_figures(rows, shown)
    else:
        figures = reports.figures(rows)  # none: no query
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return list_page(
        request,
        filterset,
        template="playbooks/review_list.html",
        fragment="playbooks/partials/review_results.html",
        rows=reports.in_list_order(rows),
        # Known from the figures: no second count (which would also read along the index).
        count=figures.cases,
        complete=reports.review_list_rows,
        extra={
            "figures": figures,
            "charts": charts.review_charts(figures),
            "export_query": export_query.urlencode(),
        },
    )


@login_required
@review_cases
def review_export(request: HttpRequest) -> HttpResponse:
    """Export CSV: the filtered list, one row per case with its figures, streamed."""
    filterset, rows = _filtered(request)
    if not filterset.is_valid():
        # Show the filter errors rather than a file with no rows.
        return redirect(f"{reverse('playbooks:review')}?{request.GET.urlencode()}")
    chunks = reports.csv_chunks(reports.export_rows(rows, chunk_size=EXPORT_CHUNK_SIZE))
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    filename = f"success-cases-review-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _case(number: str) -> SuccessCase:
    """A closed or canceled case with its figures and what its page shows; 404 otherwise."""
    queryset = reports.with_case_figures(reports.review_cases()).prefetch_related(
        "squad",
        Prefetch("meetings", queryset=Meeting.objects.order_by("start", "pk")),
        Prefetch("tasks", queryset=CaseTask.objects.select_related("assigned_to")),
    )
    return get_object_or_404(queryset.select_related("opened_by", "closed_by"), number=number)


def _case_page(
    request: HttpRequest, case: SuccessCase, form: MarkReviewedForm | None = None
) -> HttpResponse:
    phases = [(phase.label, getattr(case, name)) for phase, name in reports.PHASE_DURATIONS]
    context = {
        "case": case,
        "phases": phases,
        "timeline": reports.timeline(case),
        "form": None if case.is_reviewed else (form if form is not None else MarkReviewedForm()),
    }
    return render(request, "playbooks/review_case.html", context)


@login_required
@review_cases
def review_case(request: HttpRequest, number: str) -> HttpResponse:
    """The read-only case with its full timeline, oldest first, and Mark Reviewed."""
    return _case_page(request, _case(number))


@login_required
@review_cases
@require_POST
def mark_reviewed(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(number)
    form = MarkReviewedForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form)
    review = {"case_pk": case.pk, "user": request.user, "note": form.cleaned_data["review_note"]}
    reviewed = f"{case.number} is marked Reviewed."
    attempt(request, services.success_case_mark_reviewed, success=reviewed, **review)
    return redirect("playbooks:review-case", case.number)
