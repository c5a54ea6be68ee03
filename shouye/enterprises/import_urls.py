from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.import_page, name="import"),
    path("template/", import_views.import_template, name="import-template"),
    path("<id:pk>/", import_views.import_job, name="import-job"),
    path("<id:pk>/progress/", import_views.import_job_progress, name="import-job-progress"),
    path("<id:pk>/progress.json", import_views.import_job_progress_json, name="import-job-progress-json"),
    path("<id:pk>/errors.xlsx", import_views.import_error_file, name="import-error-file"),
]
