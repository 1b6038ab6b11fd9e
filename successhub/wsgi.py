"""WSGI entry point: ``gunicorn successhub.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "successhub.settings")

application = get_wsgi_application()
