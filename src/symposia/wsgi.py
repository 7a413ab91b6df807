"""WSGI entry point, served by gunicorn (`symposia serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "symposia.settings")
application = get_wsgi_application()
