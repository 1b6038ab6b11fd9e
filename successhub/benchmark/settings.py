"""What gunicorn runs for the wrk measurement: the project's settings with the benchmark urlconf.

Only ``manage.py benchmark_pages --wrk`` points ``DJANGO_SETTINGS_MODULE`` here,
so the bare view of ``successhub.benchmark.urls`` is never reachable in the app.
Static files are referenced unhashed (no ``collectstatic`` needed for a run).
"""

from successhub.settings import *  # noqa: F403

ROOT_URLCONF = "successhub.benchmark.urls"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
