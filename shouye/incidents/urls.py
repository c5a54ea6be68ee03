from django.urls import path

from shouye.core.actions import action_urls

from . import actions, site_views, views
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
    path("<id:pk>/site/", site_views.incident_site, name="site"),
    *(path(f"<id:pk>/site/{name}/", site_views.incident_site_act, {"name": name}, name=f"site-{name}")
      for name in site_views.SITE_ACTS),
    path("tasks/", site_views.TaskListView.as_view(), name="tasks"),
    path("tasks/<id:pk>/", site_views.task_detail, name="task"),
    *(path(f"tasks/<id:pk>/{name}/", site_views.task_act, {"name": name}, name=f"task-{name}")
      for name in actions.TASK.actions),
]
