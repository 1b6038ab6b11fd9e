"""children pages (being built)."""

urlpatterns: list = []
