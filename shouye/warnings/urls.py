from django.urls import path

from shouye.core.actions import action_urls

from . import actions, views

app_name = "warnings"
urlpatterns = [
    path("", views.WarningListView.as_view(), name="list"),
    path("new/", views.warning_create, name="create"),
    path("seasons/", views.seasons, name="seasons"),
    path("measures/", views.measures, name="measures"),
    path("<id:pk>/", views.WarningDetailView.as_view(), name="detail"),
    path("<id:pk>/checklist/", views.checklist, name="checklist"),
    *action_urls(actions.WARNING, ("acknowledge", "enterprise-acknowledge", "adjust", "lift"), page=views.warning_page),
    *action_urls(actions.WARNING, ("tick",), page=views.checklist_page),
]
