from .views import challenges, children, plan_page, plans, templates, tracker

app_name = "successplans"

urlpatterns = [
    *plans.urlpatterns,
    *plan_page.urlpatterns,
    *children.urlpatterns,
    *challenges.urlpatterns,
    *tracker.urlpatterns,
    *templates.urlpatterns,
]
