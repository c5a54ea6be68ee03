from django.http import JsonResponse
from django.urls import path

from . import views

app_name = "core"


def health(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health, name="health"),
]
