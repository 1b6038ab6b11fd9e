"""The Account 360: the accounts list with health, and the account page that composes facts,
contacts, health (explained, trend, manual measures, override), cases, plans, business
challenges and the timeline (issue 15).

Every page asks for ``view_account``; each change asks for its own permission (Customer
Success holds them) in ``_account_to`` before anything else, so the other roles get 403 and
nothing changes. A change is one service call; its refusal shows next to the field.

The views are here; the list's filter and CSV export in ``account_list``, what the account
page shows (and its health forms' table) in ``account_page``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from core.htmx import render_page
from core.lists import filtered_rows
from core.lists import list_page
from core.routes import record_routes
from engagements import selectors as engagement_selectors
from engagements import services as engagement_services
from engagements.forms import AccountActivityForm
from engagements.forms import AccountFactsForm
from engagements.forms import ContactForm
from engagements.models import Account
from health import selectors as health_selectors
from health.models import HealthSettings
from successplans.views.related import save_valid

from .account_list import export_rows
from .account_list import health_filter
from .account_page import HEALTH_CHANGES
from .account_page import detail_context
from .account_page import health_board
from .account_page import scored_accounts
from .account_page import timeline_context

view_accounts = permission_required("engagements.view_account", raise_exception=True)


def _account_to(
    request: HttpRequest, pk: int, perm: str | None = None, *, rows: QuerySet | None = None
) -> Account:
    """The account for this user: 403 without ``perm`` (when a change asks for one), else 404
    when it does not exist. ``rows``: the accounts to read it from, when a page needs more
    than the plain account (the account page: its score's inputs)."""
    if perm and not request.user.has_perm(perm):
        raise PermissionDenied
    if rows is None:
        rows = engagement_selectors.account_list().select_related("csm__user")
    return get_object_or_404(rows, pk=pk)


# -- the list ----------------------------------------------------------------------------------
@login_required
@view_accounts
def account_list(request: HttpRequest) -> HttpResponse:
    thresholds = HealthSettings.current()
    return list_page(
        request,
        health_filter(request, thresholds),
        template="engagements/account_list.html",
        fragment="engagements/partials/account_list_results.html",
        complete=lambda rows: health_selectors.finish_rows(rows, thresholds),
    )


@login_required
@view_accounts
def account_export(request: HttpRequest) -> HttpResponse:
    """The filtered, sorted list as CSV (every row, not one page)."""
    thresholds = HealthSettings.current()
    rows = filtered_rows(health_filter(request, thresholds)).select_related("csm__user")
    response = StreamingHttpResponse(export_rows(rows, thresholds), content_type="text/csv")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="accounts-{stamp}.csv"'
    return response


# -- the account page ------------------------------------------------------------------------
@login_required
@view_accounts
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    board, manual_measures = health_board()
    account = _account_to(request, pk, rows=scored_accounts(board))
    context = detail_context(request, account, board, manual_measures)
    return render(request, "successhub/account_detail.html", context)


@login_required
@view_accounts
def account_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline alone: its next page or a new filter (htmx swaps it in place)."""
    account = _account_to(request, pk)
    context = {"account": account, **timeline_context(request, account)}
    return render_page(
        request,
        "engagements/account_timeline.html",
        "engagements/partials/account_timeline.html",
        context,
    )


# -- changes ---------------------------------------------------------------------------------
def _form_page(request, account, form, save, *, title: str, submit: str, done: str, anchor: str):
    """One service call when the post is valid (then back to the account page); else the
    form, with the service's refusal next to its field."""
    if save_valid(request, form, save) is not None:
        messages.success(request, done)
        return redirect(account.get_absolute_url() + anchor)
    context = {"account": account, "form": form, "title": title, "submit": submit}
    return render(request, "engagements/account_form.html", context)


@login_required
@view_accounts
def account_facts(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_to(request, pk, "engagements.change_account")
    form = AccountFactsForm(request.POST or None, instance=account)

    def save(data):
        return engagement_services.account_facts_update(
            account=account, data=data, user=request.user
        )

    return _form_page(
        request,
        account,
        form,
        save,
        title="Edit account facts",
        submit="Save facts",
        done="Account facts saved.",
        anchor="#facts",
    )


@login_required
@view_accounts
def contact_edit(request: HttpRequest, pk: int, contact_pk: int | None = None) -> HttpResponse:
    account = _account_to(request, pk, "engagements.add_contact")
    contact = None
    if contact_pk is not None:
        if not request.user.has_perm("engagements.change_contact"):
            raise PermissionDenied
        contact = get_object_or_404(account.contacts, pk=contact_pk)
    form = ContactForm(request.POST or None, instance=contact)

    def save(data):
        return engagement_services.contact_save(
            account=account, contact=contact, data=data, user=request.user
        )

    return _form_page(
        request,
        account,
        form,
        save,
        title="Edit contact" if contact else "Add contact",
        submit="Save contact",
        done="Contact saved.",
        anchor="#contacts",
    )


@login_required
@view_accounts
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account_to(request, pk, "engagements.add_accountactivity")
    form = AccountActivityForm(
        request.POST or None, account=account, initial={"date": timezone.localdate()}
    )

    def save(data):
        return engagement_services.account_activity_log(
            account=account,
            kind=data["kind"],
            date=data["date"],
            text=data["text"],
            contact_ids=[c.pk for c in data["contacts"]],
            user=request.user,
        )

    return _form_page(
        request,
        account,
        form,
        save,
        title="Log an activity",
        submit="Log activity",
        done="Activity logged.",
        anchor="#timeline",
    )


@login_required
@view_accounts
def health_change(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Set a manual measure or override the score (``HEALTH_CHANGES[what]``)."""
    change = HEALTH_CHANGES[what]
    account = _account_to(request, pk, change.perm)
    return _form_page(
        request,
        account,
        change.form(request.POST or None),
        lambda data: change.save(account, request.user, data),
        title=change.title,
        submit=change.submit,
        done=change.done,
        anchor="#health",
    )


#: One account's pages, below accounts/<pk>/.
#: Joined to the ``engagements`` namespace in successhub/urls.py.
urlpatterns = [
    record_routes(
        "accounts/",
        "account",
        list=account_list,
        detail=account_detail,
        more=[path("export/", account_export, name="account-export")],
        record=[
            path("timeline/", account_timeline, name="account-timeline"),
            path("facts/", account_facts, name="account-facts"),
            path("contacts/new/", contact_edit, name="account-contact-new"),
            path("contacts/<int:contact_pk>/", contact_edit, name="account-contact-edit"),
            path("activities/new/", activity_new, name="account-activity-new"),
            *(
                path(
                    f"health/{what}/", health_change, {"what": what}, name=f"account-health-{what}"
                )
                for what in ("manual", "override")
            ),
        ],
    ),
]
