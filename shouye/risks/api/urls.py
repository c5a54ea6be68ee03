from rest_framework.routers import SimpleRouter

from .register import HazardSourceViewSet, RiskPointViewSet, RiskRegisterViewSet

router = SimpleRouter()
router.register("risk-points", RiskPointViewSet, basename="riskpoint")
router.register("hazard-sources", HazardSourceViewSet, basename="hazardsource")
router.register("risk-registers", RiskRegisterViewSet, basename="riskregister")
urlpatterns = router.urls
