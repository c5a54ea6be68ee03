from rest_framework.routers import SimpleRouter

from .views import WorkAreaViewSet, WorkerViewSet

router = SimpleRouter()
router.register("work-areas", WorkAreaViewSet, basename="workarea")
router.register("workers", WorkerViewSet, basename="worker")
urlpatterns = router.urls
