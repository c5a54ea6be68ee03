from rest_framework.routers import SimpleRouter

from .response import IncidentResponseViewSet
from .site_views import IncidentTaskViewSet
from .views import IncidentViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("incidents", IncidentResponseViewSet, basename="incident-response")
router.register("incident-tasks", IncidentTaskViewSet, basename="incident-task")
urlpatterns = router.urls
