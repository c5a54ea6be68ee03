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
    *import_views.IMPORT_PAGES.urlpatterns("workers/import/"),
]
