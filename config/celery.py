"""Celery application. Tasks live in each app's tasks.py and only load rows and call services."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("shouye")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
