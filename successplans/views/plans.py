"""plans pages (being built)."""

urlpatterns: list = []
