from django.urls import path
from rest_framework.routers import SimpleRouter

from . import bureau
from .plans import FloorPlanViewSet, PlanZoneViewSet
from .register import ControlMeasureViewSet, HazardSourceViewSet, RiskPointViewSet, RiskRegisterViewSet
from .scores import EnterpriseRiskScoreViewSet
from .settings import DistrictTablesView, EnterpriseTablesViewSet
from .tasks import InvestigationTaskViewSet, TaskInstanceViewSet

router = SimpleRouter()
# The risk register (register part).
router.register("risk-points", RiskPointViewSet, basename="riskpoint")
router.register("hazard-sources", HazardSourceViewSet, basename="hazardsource")
router.register("risk-registers", RiskRegisterViewSet, basename="riskregister")
router.register("control-measures", ControlMeasureViewSet, basename="controlmeasure")
router.register("enterprise-risk-settings", EnterpriseTablesViewSet, basename="enterprise-risk-settings")
# The plant plan and its zones (plan part).
router.register("floor-plans", FloorPlanViewSet, basename="floor-plan")
router.register("plan-zones", PlanZoneViewSet, basename="plan-zone")
# Investigation tasks and their instances (tasks part).
router.register("investigation-tasks", InvestigationTaskViewSet, basename="investigation-task")
router.register("task-instances", TaskInstanceViewSet, basename="task-instance")

# The bureau's 100-point assessment of an enterprise (register part).
router.register("risk-scores", EnterpriseRiskScoreViewSet, basename="risk-score")

urlpatterns = [
    # The district's editable tables (register part); an enterprise's are on the router.
    path("risk-settings/district/", DistrictTablesView.as_view(), name="risk-settings-district"),
    # The bureau's view (bureau part).
    path("risk-liveness/", bureau.LivenessView.as_view(), name="risk-liveness"),
    path("risk-exchange/", bureau.ExchangeView.as_view(), name="risk-exchange"),
    *router.urls,
]
