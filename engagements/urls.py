from django.urls import path

from . import views

app_name = "engagements"

# The accounts list and pages (successhub.accounts: they show health, cases and plans) and the
# engagement record page join this namespace in successhub/urls.py, the layer above the apps.
urlpatterns = [
    path("engagements/", views.engagement_list, name="engagement-list"),
]
