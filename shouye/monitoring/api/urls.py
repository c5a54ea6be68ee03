"""The monitoring API: the video vendors' intake (included by config/urls.py ahead of every other route, since it
is the hot path), the vendors and cameras, the board and statistics, gateways, points and the rule tables, and
the alarms with their acts. Fixed paths come before the routers' ``<pk>`` routes."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from shouye.monitoring.intake.views import AlarmIntakeView

from . import config_views
from .board import AlarmBoardView, AlarmStatisticsView
from .video import AlarmVendorViewSet, CameraViewSet
from .views import AlarmViewSet

intake_urlpatterns = [path("alarms/intake/<slug:vendor>/", AlarmIntakeView.as_view(), name="alarm-intake")]

router = SimpleRouter()
router.register("alarm-vendors", AlarmVendorViewSet, basename="alarm-vendor")
router.register("cameras", CameraViewSet, basename="camera")
router.register("gateways", config_views.GatewayViewSet, basename="gateway")
router.register("monitoring-points", config_views.PointViewSet, basename="monitoring-point")
router.register("alarms", AlarmViewSet, basename="alarm")

urlpatterns = [
    path("alarm-board/", AlarmBoardView.as_view(), name="api-alarm-board"),
    path("alarm-statistics/", AlarmStatisticsView.as_view(), name="api-alarm-statistics"),
    path("alarm-rules/", config_views.AlarmRuleTableView.as_view(), name="alarm-rule-table"),
    path("alarm-triggers/", config_views.AlarmTriggerTableView.as_view(), name="alarm-trigger-table"),
    path("scenarios/", config_views.ScenarioTableView.as_view(), name="scenario-table"),
    *router.urls,
]
