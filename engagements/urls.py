from django.urls import path

from . import views

app_name = "engagements"

urlpatterns = [
    path("accounts/", views.account_list, name="account-list"),
    path("accounts/<int:pk>/", views.account_detail, name="account-detail"),
    path("engagements/", views.engagement_list, name="engagement-list"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement-detail"),
]
