from django.urls import path

from . import import_views, views

app_name = "workareas"
urlpatterns = [
    path("", views.WorkAreaListView.as_view(), name="list"),
    path("new/", views.work_area_create, name="create"),
    path("<id:pk>/", views.WorkAreaDetailView.as_view(), name="detail"),
    path("<id:pk>/edit/", views.work_area_update, name="update"),
    path("workers/", views.WorkerListView.as_view(), name="workers"),
    path("workers/new/", views.worker_create, name="worker-create"),
    path("workers/export/", views.worker_export, name="worker-export"),
    path("workers/<id:pk>/", views.WorkerDetailView.as_view(), name="worker"),
    path("workers/<id:pk>/edit/", views.worker_update, name="worker-update"),
    path("workers/<id:pk>/remove/", views.worker_remove, name="worker-remove"),
    path("workers/import/", import_views.import_page, name="import"),
    path("workers/import/template/", import_views.import_template, name="import-template"),
    path("workers/import/<id:pk>/", import_views.import_job, name="import-job"),
    path("workers/import/<id:pk>/progress/", import_views.import_job_progress, name="import-job-progress"),
    path("workers/import/<id:pk>/progress.json", import_views.import_job_progress_json,
         name="import-job-progress-json"),
    path("workers/import/<id:pk>/errors.xlsx", import_views.import_error_file, name="import-error-file"),
]
