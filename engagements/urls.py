from django.urls import path

from . import views

app_name = "engagements"

# The account and engagement record pages join this namespace in successhub/urls.py:
# they show cases and plans too, so they live in the layer above the feature apps.
urlpatterns = [
    path("accounts/", views.account_list, name="account-list"),
    path("engagements/", views.engagement_list, name="engagement-list"),
]
