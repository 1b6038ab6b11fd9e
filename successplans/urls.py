from .views import challenges, children, plans, templates, tracker

app_name = "successplans"

urlpatterns = [
    *plans.urlpatterns,
    *children.urlpatterns,
    *challenges.urlpatterns,
    *tracker.urlpatterns,
    *templates.urlpatterns,
]
