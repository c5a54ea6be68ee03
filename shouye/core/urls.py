from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_safe

from . import views

app_name = "core"


@require_safe
def health(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", views.home, name="home"),
    path("todos/total/", views.todo_total, name="todo-total"),
    path("healthz", health, name="health"),
]
