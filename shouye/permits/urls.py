from django.urls import path

from shouye.core.actions import action_urls

from . import actions, board_views, print_views, views

app_name = "permits"
urlpatterns = [
    path("", views.PermitListView.as_view(), name="list"),
    path("new/", views.permit_create, name="create"),
    path("<id:pk>/", views.PermitDetailView.as_view(), name="detail"),
    path("<id:pk>/edit/", views.permit_edit, name="edit"),
    path("<id:pk>/watch/", views.watch, name="watch"),
    *action_urls(actions.PERMIT, [name for name in actions.PERMIT.actions if name != "edit"],
                 page=views.permit_page),
]

# --- the printed permit and the live status page its QR code opens (pprint) ---
urlpatterns += [
    path("<id:pk>/print.pdf", print_views.print_pdf, name="print"),
    path("<id:pk>/status/", print_views.status, name="status"),
]

# --- the bureau's live board and statistics (pboard) ---
urlpatterns += [
    path("board/", board_views.board, name="board"),
    path("statistics/", board_views.statistics, name="statistics"),
    path("statistics/export/", board_views.statistics_export, name="statistics-export"),
]
