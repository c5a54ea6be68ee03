from django.urls import path
from rest_framework.routers import SimpleRouter

from . import bureau
from .plans import FloorPlanViewSet, PlanZoneViewSet
from .register import HazardSourceViewSet, RiskPointViewSet, RiskRegisterViewSet
from .tasks import InvestigationTaskViewSet, TaskInstanceViewSet

router = SimpleRouter()
# The risk register (register part).
router.register("risk-points", RiskPointViewSet, basename="riskpoint")
router.register("hazard-sources", HazardSourceViewSet, basename="hazardsource")
router.register("risk-registers", RiskRegisterViewSet, basename="riskregister")
# The plant plan and its zones (plan part).
router.register("floor-plans", FloorPlanViewSet, basename="floor-plan")
router.register("plan-zones", PlanZoneViewSet, basename="plan-zone")
# Investigation tasks and their instances (tasks part).
router.register("investigation-tasks", InvestigationTaskViewSet, basename="investigation-task")
router.register("task-instances", TaskInstanceViewSet, basename="task-instance")

urlpatterns = [
    # The bureau's view (bureau part).
    path("risk-liveness/", bureau.LivenessView.as_view(), name="risk-liveness"),
    path("risk-exchange/", bureau.ExchangeView.as_view(), name="risk-exchange"),
    *router.urls,
]
