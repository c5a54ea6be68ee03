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
    path("workers/exports/<id:pk>/", views.export_job, name="export-job"),
    path("workers/exports/<id:pk>/progress/", views.export_job_progress, name="export-job-progress"),
    path("workers/exports/<id:pk>/progress.json", views.export_job_progress_json, name="export-job-progress-json"),
    path("workers/exports/<id:pk>/file/", views.export_job_file, name="export-job-file"),
    path("workers/<id:pk>/", views.WorkerDetailView.as_view(), name="worker"),
    path("workers/<id:pk>/edit/", views.worker_update, name="worker-update"),
    path("workers/<id:pk>/remove/", views.worker_remove, name="worker-remove"),
    *import_views.IMPORT_PAGES.urlpatterns("workers/import/"),
]
