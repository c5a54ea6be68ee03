from rest_framework.routers import SimpleRouter

from .views import InstallationViewSet

router = SimpleRouter()
router.register("major-hazard-installations", InstallationViewSet, basename="major-hazard-installation")
urlpatterns = router.urls
