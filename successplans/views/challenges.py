"""challenges pages (being built)."""

urlpatterns: list = []
