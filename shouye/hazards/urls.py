from django.urls import path

from shouye.core.actions import action_urls

from . import actions, views

app_name = "hazards"
urlpatterns = [
    path("", views.HazardLedgerView.as_view(), name="list"),
    path("report/", views.hazard_report, name="report"),
    path("export/", views.ledger_export, name="export"),
    path("exports/<id:pk>/", views.export_job, name="export-job"),
    path("exports/<id:pk>/progress/", views.export_job_progress, name="export-job-progress"),
    path("exports/<id:pk>/progress.json", views.export_job_progress_json, name="export-job-progress-json"),
    path("exports/<id:pk>/file/", views.export_job_file, name="export-job-file"),
    path("tip-offs/", views.tip_off_list, name="tip-offs"),
    path("tip-offs/<id:pk>/", views.tip_off_detail, name="tip-off"),
    path("tip-offs/<id:pk>/send/", views.tip_off_send, name="tip-off-send"),
    path("tip-offs/checks/", views.tip_off_checks, name="tip-off-checks"),
    path("tip-offs/checks/<id:pk>/", views.tip_off_check, name="tip-off-check"),
    path("<id:pk>/", views.HazardDetailView.as_view(), name="detail"),
    *action_urls(actions.HAZARD, actions.HAZARD.actions, page=views.hazard_page),
]

#: The public tip-off form, mounted at /tip-off/ (namespace "tip-off"): no sign-in.
public_urlpatterns = [
    path("", views.tip_off, name="form"),
    path("thanks/", views.tip_off_thanks, name="thanks"),
    path("status/", views.tip_off_status, name="status"),
]
