from rest_framework.routers import SimpleRouter

from .views import SpecialPeriodViewSet

router = SimpleRouter()
router.register("special-periods", SpecialPeriodViewSet, basename="special-period")
urlpatterns = router.urls
