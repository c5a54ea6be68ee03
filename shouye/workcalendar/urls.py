from django.urls import path

from . import views, views_periods

app_name = "workcalendar"
urlpatterns = [
    path("", views.year_list, name="list"),
    path("add/", views.year_add, name="add"),
    path("import/", views.year_import, name="import"),
    path("<id:year>/", views.year_detail, name="year"),
    path("periods/", views_periods.period_list, name="periods"),
    path("periods/add/", views_periods.period_add, name="period-add"),
    path("periods/<id:pk>/", views_periods.period_detail, name="period"),
    path("periods/<id:pk>/edit/", views_periods.period_edit, name="period-edit"),
    path("periods/<id:pk>/cancel/", views_periods.period_cancel, name="period-cancel"),
]
