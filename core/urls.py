from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("search/<slug:lookup>/", views.search_options, name="search"),
]
