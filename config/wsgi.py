import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# After Django is set up: the fast path imports the intake's models. It answers the video intake's posts ahead
# of Django's request handling (issue 13's rate) and hands everything else to Django.
from shouye.monitoring.intake.fastpath import IntakeFastPath  # noqa: E402

application = IntakeFastPath(django_application)
