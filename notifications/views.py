"""The notification list (mark one or all read), the preferences page with the calendar
feed's URL, and the feed itself. Every page is the signed-in user's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from core.feedback import attempt
from core.lists import list_page

from . import selectors
from . import services
from .calendar import feed_calendar
from .filters import NotificationFilter
from .forms import PreferencesForm
from .models import Notification
from .tasks import absolute


def _notification_of(request: HttpRequest, pk: int) -> Notification:
    """The user's own notification; another user's or an unknown one is 404 (no leak)."""
    notification = selectors.notification_of(request.user, pk)
    if notification is None:
        raise Http404("No such notification.")
    return notification


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    filterset = NotificationFilter(request.GET, queryset=selectors.notifications_for(request.user))
    return list_page(
        request,
        filterset,
        template="notifications/notification_list.html",
        fragment="notifications/partials/notification_results.html",
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read, then follow its link ("open") or go back to the list."""
    notification = _notification_of(request, pk)
    services.notification_mark_read(notification=notification)
    if request.POST.get("open") and notification.url:
        return redirect(notification.url)
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    attempt(
        request,
        services.notifications_mark_all_read,
        success=lambda n: f"{n} notification{'s' if n != 1 else ''} marked read.",
        user=request.user,
    )
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return back
    return reverse("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial=current)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            services.preferences_save,
            success="Your notification preferences are saved.",
            user=request.user,
            deliveries=form.cleaned_data,
        )
    ):
        return redirect("notifications:preferences")
    feed = selectors.feed_of(request.user)
    feed_url = absolute(reverse("notifications:calendar", args=[feed.token])) if feed else ""
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "feed_url": feed_url},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    had = selectors.feed_of(request.user) is not None
    services.calendar_feed_renew(user=request.user)
    messages.success(
        request,
        "A new calendar URL is ready; the previous one no longer works."
        if had
        else "Your calendar URL is ready: subscribe to it in your calendar app.",
    )
    return redirect("notifications:preferences")


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, "Your calendar URL is revoked; calendars using it get nothing.")
    else:
        messages.info(request, "You have no calendar URL.")
    return redirect("notifications:preferences")


@require_GET
def calendar(request: HttpRequest, secret: str) -> HttpResponse:
    """The feed: no session, the secret in the URL is the key; a wrong or revoked one 404s."""
    feed = selectors.feed_by_token(secret)
    if feed is None:
        raise Http404("No such calendar.")
    user = feed.user
    body = feed_calendar(
        selectors.feed_data(user), name=f"SuccessHub: {user.get_full_name() or user.username}"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
