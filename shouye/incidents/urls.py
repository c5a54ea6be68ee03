from django.urls import path

from shouye.core.actions import action_urls

from . import actions, views
from .response_actions import RESPONSE

app_name = "incidents"
urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path("new/", views.incident_create, name="create"),
    path("<id:pk>/", views.IncidentDetailView.as_view(), name="detail"),
    path("<id:pk>/report.pdf", views.incident_report, {"fmt": "pdf"}, name="report-pdf"),
    path("<id:pk>/report.docx", views.incident_report, {"fmt": "docx"}, name="report-docx"),
    *action_urls(actions.INCIDENT, actions.INCIDENT.actions, page=views.incident_page),
    *action_urls(RESPONSE, RESPONSE.actions, page=views.incident_page),
]
