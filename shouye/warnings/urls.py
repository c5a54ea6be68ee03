from django.urls import path

from shouye.core.actions import action_urls

from . import actions, views

app_name = "warnings"
urlpatterns = [
    path("", views.WarningListView.as_view(), name="list"),
    path("new/", views.warning_create, name="create"),
    path("seasons/", views.seasons, name="seasons"),
    path("seasons/<id:pk>/", views.season_edit, name="season"),
    path("fire-danger-levels/<id:pk>/", views.fire_danger_level, name="fire-danger-level"),
    path("measures/new/", views.measure_template, name="measure-create"),
    path("measures/<id:pk>/", views.measure_template, name="measure"),
    path("<id:pk>/", views.WarningDetailView.as_view(), name="detail"),
    path("<id:pk>/checklist/", views.checklist, name="checklist"),
    *action_urls(actions.WARNING, ("acknowledge", "adjust", "lift"), page=views.warning_page),
    *action_urls(actions.WARNING, ("tick",), page=views.checklist_page),
]
