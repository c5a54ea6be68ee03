from rest_framework.routers import SimpleRouter

from .response import IncidentResponseViewSet
from .views import IncidentViewSet

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("incidents", IncidentResponseViewSet, basename="incident-response")
urlpatterns = router.urls
