from .views import challenges
from .views import children
from .views import plan_page
from .views import plans
from .views import templates
from .views import tracker

app_name = "successplans"

urlpatterns = [
    *plans.urlpatterns,
    *plan_page.urlpatterns,
    *children.urlpatterns,
    *challenges.urlpatterns,
    *tracker.urlpatterns,
    *templates.urlpatterns,
]
