from django.urls import path

from . import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.year_list, name="list"),
    path("add/", views.year_add, name="add"),
    path("import/", views.year_import, name="import"),
    path("<id:year>/", views.year_detail, name="year"),
]
