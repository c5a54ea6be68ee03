from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.http import require_safe

from . import cockpit, views

app_name = "core"


@require_safe
def health(request):
    return JsonResponse({"status": "ok"})


@require_safe
def favicon(request):
    """Browsers ask for ``/favicon.ico`` whatever a page links (a PDF, a JSON answer, an old bookmark): sent on
    to the icon among the static files, under its hashed name in production. Temporary, as that name changes
    with each release."""
    return HttpResponseRedirect(static("shouye/favicon.ico"))


urlpatterns = [
    path("", views.home, name="home"),
    path("todos/total/", views.todo_total, name="todo-total"),
    path("healthz", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("cockpit/", cockpit.cockpit, name="cockpit"),
    path("cockpit/data/", cockpit.cockpit_json, name="cockpit-data"),
]
