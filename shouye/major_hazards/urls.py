from django.urls import path

from shouye.core.actions import action_urls

from . import actions, views

app_name = "major_hazards"
urlpatterns = [
    path("", views.InstallationListView.as_view(), name="list"),
    path("new/", views.installation_create, name="create"),
    path("export/", views.installation_export, name="export"),
    path("duty-items/", views.duty_items, name="duty-items"),
    path("duty-items/<id:pk>/", views.duty_item, name="duty-item"),
    path("<id:pk>/", views.InstallationDetailView.as_view(), name="detail"),
    path("<id:pk>/board.pdf", views.notice_board, name="board"),
    *action_urls(actions.INSTALLATION, actions.INSTALLATION.actions, page=views.installation_page),
]
