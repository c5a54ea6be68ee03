import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

# After Django is set up: the fast path imports the intake's models. It answers the video intake's posts ahead
# of Django's request handling (issue 13's rate; the README serves the intake through this application) and
# hands everything else to Django.
from shouye.monitoring.intake.fastpath import IntakeFastPathASGI  # noqa: E402

application = IntakeFastPathASGI(django_application)

# Everything loaded so far (Django, the apps, the URL resolver: several hundred thousand objects) lives as long
# as the process: kept out of the collector's full passes, which would otherwise walk it all, each time stopping
# the worker for 150-200 ms on a busy 2-core box (bench/README.md: the video intake's tail).
gc.freeze()
