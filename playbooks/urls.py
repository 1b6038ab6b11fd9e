from django.urls import include
from django.urls import path

from . import case_views
from . import record_views
from . import review_views
from . import views

app_name = "playbooks"

# One case's pages, below cases/<number>/.
case_urls = [
    path("", views.case_detail, name="case-detail"),
    path(
        "activities/<int:activity_pk>/complete/",
        views.activity_complete,
        name="activity-complete",
    ),
    path("close/", views.case_close, name="case-close"),
    path("journal/", views.journal_post, name="journal-post"),
    path("edit/", case_views.case_edit, name="case-edit"),
    path("contact/", case_views.case_contact_edit, name="case-contact"),
    path("squad/join/", case_views.squad_move, {"move": "join"}, name="squad-join"),
    path("squad/leave/", case_views.squad_move, {"move": "leave"}, name="squad-leave"),
    path("cancel/", views.case_cancel, name="case-cancel"),
]

# A case's meetings and tasks: new, edit and each state change (Schedule, Start work...).
# A meeting is named by its id, a task by its number (SCTASK0001001).
for kind, record in (("meeting", "<int:pk>"), ("task", "<str:task_number>")):
    case_urls += [
        path(f"{kind}s/new/", record_views.record_new, {"kind": kind}, name=f"{kind}-new"),
        path(f"{kind}s/{record}/", record_views.record_edit, name=f"{kind}-edit"),
        path(
            f"{kind}s/{record}/<str:name>/",
            record_views.record_transition,
            name=f"{kind}-transition",
        ),
    ]

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<str:number>/", include(case_urls)),
    # Review (Success Managers): closed and canceled cases, figures, timeline, export.
    path("review/", review_views.review_list, name="review"),
    path("review/export.csv", review_views.review_export, name="review-export"),
    path("review/<str:number>/", review_views.review_case, name="review-case"),
    path("review/<str:number>/reviewed/", review_views.mark_reviewed, name="review-mark"),
]
