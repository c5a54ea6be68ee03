from django.urls import path
from rest_framework.routers import SimpleRouter

from . import bureau
from .plans import FloorPlanViewSet, PlanZoneViewSet

router = SimpleRouter()
# The plant plan and its zones (plan part).
router.register("floor-plans", FloorPlanViewSet, basename="floor-plan")
router.register("plan-zones", PlanZoneViewSet, basename="plan-zone")

urlpatterns = [
    # The bureau's view (bureau part).
    path("risk-liveness/", bureau.LivenessView.as_view(), name="risk-liveness"),
    path("risk-exchange/", bureau.ExchangeView.as_view(), name="risk-exchange"),
    *router.urls,
]
