from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ItemViewSet, NearestView, ReserveViewSet, RoadNetworkViewSet, TeamViewSet, WarehouseViewSet

router = SimpleRouter()
router.register("rescue-teams", TeamViewSet, basename="rescue-team")
router.register("warehouses", WarehouseViewSet, basename="warehouse")
router.register("material-items", ItemViewSet, basename="material-item")
router.register("reserves", ReserveViewSet, basename="reserve")
router.register("road-networks", RoadNetworkViewSet, basename="road-network")
urlpatterns = [path("resources/nearest/", NearestView.as_view(), name="api-resources-nearest"), *router.urls]
