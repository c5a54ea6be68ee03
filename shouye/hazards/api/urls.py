from rest_framework.routers import SimpleRouter

from .views import HazardViewSet, TipOffViewSet

router = SimpleRouter()
router.register("hazards", HazardViewSet, basename="hazard")
router.register("tip-offs", TipOffViewSet, basename="tipoff")
urlpatterns = router.urls
