from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import FireDangerViewSet, SeasonViewSet, StatusView, WarningViewSet

router = SimpleRouter()
router.register("early-warnings", WarningViewSet, basename="early-warning")
router.register("warning-seasons", SeasonViewSet, basename="warning-season")
router.register("fire-danger-readings", FireDangerViewSet, basename="fire-danger-reading")
urlpatterns = [
    path("warning-status/", StatusView.as_view(), name="warning-status"),
    *router.urls,
]
