"""WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from jobcenter import create_app

app = create_app()
