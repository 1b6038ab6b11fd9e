from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include
from django.urls import path
from django.urls import reverse_lazy

from core import health
from engagements import urls as engagement_urls

from . import accounts
from . import search
from . import views

admin.site.site_header = "SuccessHub administration"
admin.site.site_title = "SuccessHub admin"

handler403 = "successhub.views.permission_denied"

# Django's password pages in the workspace's layout: (route, view, name, the view's options).
_PASSWORD = [
    # Every signed-in user changes their own password in the workspace's layout
    # (Django's admin form would send people without staff status to the admin login).
    (
        "password/",
        auth_views.PasswordChangeView,
        "password-change",
        {"success_url": reverse_lazy("password-change-done")},
    ),
    ("password/done/", auth_views.PasswordChangeDoneView, "password-change-done", {}),
    # Anyone who forgot their password gets a link by email (EMAIL_URL; the console by
    # default). The "sent" page is the same whether or not the address is known.
    (
        "password/reset/",
        auth_views.PasswordResetView,
        "password-reset",
        {
            "success_url": reverse_lazy("password-reset-done"),
            "subject_template_name": "registration/password_reset_subject.txt",
            "email_template_name": "registration/password_reset_email.txt",
        },
    ),
    ("password/reset/sent/", auth_views.PasswordResetDoneView, "password-reset-done", {}),
    (
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView,
        "password-reset-confirm",
        {"success_url": reverse_lazy("password-reset-complete")},
    ),
    ("password/reset/done/", auth_views.PasswordResetCompleteView, "password-reset-complete", {}),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search.search, name="search"),  # the top bar's global search
    path("healthz", health.healthz, name="healthz"),  # load balancers: no sign-in (core/health.py)
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    *(path(route, view.as_view(**options), name=name) for route, view, name, options in _PASSWORD),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    # The engagements namespace: its lists, plus the record pages composed here.
    path(
        "",
        include(
            (
                [
                    *engagement_urls.urlpatterns,
                    *accounts.urlpatterns,  # the accounts list and the Account 360 (issue 15)
                    path(
                        "engagements/<int:pk>/",
                        views.engagement_detail,
                        name="engagement-detail",
                    ),
                ],
                engagement_urls.app_name,
            )
        ),
    ),
    path("", include("playbooks.urls")),
    path("", include("successplans.urls")),
    path("", include("api.urls")),  # /api/v1/, its schema and docs, /api/tokens/
    path("", include("notifications.urls")),  # /notifications/, /calendar/<secret>.ics
]
