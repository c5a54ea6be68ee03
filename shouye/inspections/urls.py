from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.InspectionListView.as_view(), name="list"),
    path("new/", views.inspection_create, name="create"),
    path("new/enterprises/", views.enterprise_search, name="enterprise-search"),
    path("<id:pk>/", views.InspectionDetailView.as_view(), name="detail"),
    path("<id:pk>/record/", views.inspection_record, name="record"),
    path("<id:pk>/finish/", views.inspection_finish, name="finish"),
    path("<id:pk>/documents/", views.inspection_documents, name="documents"),
    path("<id:pk>/documents/preview/", views.document_preview, name="document-preview"),
    path("documents/<id:pk>/", views.document_download, name="document-download"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/generate/", views.plan_generate, name="plan-generate"),
    path("plans/<id:pk>/", views.plan_update, name="plan-update"),
    path("checklists/", views.ChecklistListView.as_view(), name="checklists"),
    path("checklists/<id:pk>/", views.ChecklistDetailView.as_view(), name="checklist"),
]
