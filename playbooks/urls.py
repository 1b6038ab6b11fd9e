from django.urls import path

from . import review_views, views

app_name = "playbooks"

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<str:number>/", views.case_detail, name="case-detail"),
    path(
        "cases/<str:number>/activities/<int:activity_pk>/complete/",
        views.activity_complete,
        name="activity-complete",
    ),
    path("cases/<str:number>/close/", views.case_close, name="case-close"),
    path("cases/<str:number>/cancel/", views.case_cancel, name="case-cancel"),
    path("cases/<str:number>/meetings/new/", views.meeting_new, name="meeting-new"),
    path("cases/<str:number>/meetings/<int:pk>/", views.meeting_edit, name="meeting-edit"),
    path(
        "cases/<str:number>/meetings/<int:pk>/<str:name>/",
        views.meeting_transition,
        name="meeting-transition",
    ),
    path("cases/<str:number>/tasks/new/", views.task_new, name="task-new"),
    path("cases/<str:number>/tasks/<str:task_number>/", views.task_edit, name="task-edit"),
    path(
        "cases/<str:number>/tasks/<str:task_number>/<str:name>/",
        views.task_transition,
        name="task-transition",
    ),
    # Review (Success Managers): closed and canceled cases, figures, timeline, export.
    path("review/", review_views.review_list, name="review"),
    path("review/export.csv", review_views.review_export, name="review-export"),
    path("review/<str:number>/", review_views.review_case, name="review-case"),
    path("review/<str:number>/reviewed/", review_views.mark_reviewed, name="review-mark"),
]
