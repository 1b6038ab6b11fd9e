"""Success plan pages, one module per area; ``successplans/urls.py`` joins their urlpatterns."""
