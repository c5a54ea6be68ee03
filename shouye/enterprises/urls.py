from django.urls import include, path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("export/", views.enterprise_export, name="export"),
    path("<id:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
    path("<id:pk>/edit/", views.enterprise_update, name="update"),
    path("import/", include("shouye.enterprises.import_urls")),
]
