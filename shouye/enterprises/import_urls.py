from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.import_page, name="import"),
    path("template/", import_views.import_template, name="import-template"),
    path("<int:pk>/", import_views.import_job, name="import-job"),
    path("<int:pk>/progress/", import_views.import_job_progress, name="import-job-progress"),
    path("<int:pk>/progress.json", import_views.import_job_progress_json, name="import-job-progress-json"),
    path("<int:pk>/errors.xlsx", import_views.import_error_file, name="import-error-file"),
]
