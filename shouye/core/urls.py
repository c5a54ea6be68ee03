from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_safe

from . import cockpit, views

app_name = "core"


@require_safe
def health(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health, name="health"),
    path("cockpit/", cockpit.cockpit, name="cockpit"),
    path("cockpit/data/", cockpit.cockpit_json, name="cockpit-data"),
]
