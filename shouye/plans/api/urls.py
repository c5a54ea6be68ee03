from rest_framework.routers import SimpleRouter

from .views import DrillViewSet, PlanViewSet, UnitViewSet

router = SimpleRouter()
router.register("emergency-plans", PlanViewSet, basename="emergency-plan")
router.register("drills", DrillViewSet, basename="drill")
router.register("plan-units", UnitViewSet, basename="plan-unit")
urlpatterns = router.urls
