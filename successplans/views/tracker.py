"""tracker pages (being built)."""

urlpatterns: list = []
