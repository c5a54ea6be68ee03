from rest_framework.routers import SimpleRouter

from .views import PermitViewSet

router = SimpleRouter()
router.register("permits", PermitViewSet, basename="permit")
urlpatterns = router.urls
