"""The monitoring pages: configuration (gateways, points and their Excel import, cameras, the video vendors, the
rule tables), the alarms and their acts, the duty console, and the bureau's board with its event stream,
statistics and daily report."""

from django.urls import path

from shouye.core.actions import action_urls

from . import actions, board_views, config_views, views

app_name = "monitoring"
urlpatterns = [
    # Configuration.
    path("gateways/", config_views.GatewayListView.as_view(), name="gateways"),
    path("gateways/new/", config_views.gateway_create, name="gateway-create"),
    path("gateways/<id:pk>/edit/", config_views.gateway_update, name="gateway-update"),
    path("gateways/<id:pk>/deactivate/", config_views.gateway_deactivate, name="gateway-deactivate"),
    path("points/", config_views.PointListView.as_view(), name="points"),
    path("points/new/", config_views.point_create, name="point-create"),
    path("points/<id:pk>/", config_views.PointDetailView.as_view(), name="point"),
    path("points/<id:pk>/edit/", config_views.point_update, name="point-update"),
    path("points/<id:pk>/deactivate/", config_views.point_deactivate, name="point-deactivate"),
    *config_views.POINT_IMPORT_PAGES.urlpatterns("points/import/"),
    path("cameras/", config_views.CameraListView.as_view(), name="cameras"),
    path("cameras/new/", config_views.camera_create, name="camera-create"),
    path("cameras/<id:pk>/edit/", config_views.camera_update, name="camera-update"),
    path("cameras/<id:pk>/deactivate/", config_views.camera_deactivate, name="camera-deactivate"),
    path("vendors/", config_views.vendors, name="vendors"),
    path("vendors/new/", config_views.vendor_create, name="vendor-create"),
    path("vendors/<id:pk>/", config_views.vendor_detail, name="vendor"),
    path("vendors/<id:pk>/edit/", config_views.vendor_update, name="vendor-update"),
    path("vendors/<id:pk>/map-code/", config_views.vendor_map_code, name="vendor-map-code"),
    path("vendors/<id:pk>/rotate-secret/", config_views.vendor_rotate_secret, name="vendor-rotate-secret"),
    path("rules/", config_views.alarm_rules, name="rules"),
    path("rules/triggers/", config_views.alarm_triggers, name="triggers"),
    path("rules/scenarios/", config_views.scenarios, name="scenarios"),
    # The alarms, their acts and the enterprise's duty console.
    path("alarms/", views.AlarmListView.as_view(), name="alarm-list"),
    path("alarms/export/", views.alarm_export, name="alarm-export"),
    path("alarms/<id:pk>/", views.alarm_detail, name="alarm-detail"),
    *[path(f"alarms/{pattern.pattern}", pattern.callback, name=pattern.name)
      for pattern in action_urls(actions.ALARM, actions.ALARM.actions, page=views.alarm_page)],
    path("console/", views.console, name="console"),
    path("console/feed/", views.console_feed, name="console-feed"),
    # The bureau's board, its stream, statistics and the daily report.
    path("board/", board_views.board, name="board"),
    path("board/stream/", board_views.board_stream, name="board-stream"),
    path("statistics/", board_views.statistics, name="statistics"),
    path("report/export/", board_views.report_export, name="report-export"),
]
