from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:pk>/", views.notification_open, name="open"),
    path("read/", views.mark_all_read, name="mark-all-read"),
]
