from rest_framework.routers import SimpleRouter

from .plans import FloorPlanViewSet, PlanZoneViewSet

router = SimpleRouter()
router.register("floor-plans", FloorPlanViewSet, basename="floor-plan")
router.register("plan-zones", PlanZoneViewSet, basename="plan-zone")
urlpatterns = router.urls
