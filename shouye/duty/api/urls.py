from rest_framework.routers import SimpleRouter

from .views import HandoverViewSet, LogEntryViewSet, RosterViewSet, SwapViewSet

router = SimpleRouter()
router.register("duty-rosters", RosterViewSet, basename="duty-roster")
router.register("duty-swaps", SwapViewSet, basename="duty-swap")
router.register("duty-log", LogEntryViewSet, basename="duty-log-entry")
router.register("duty-handovers", HandoverViewSet, basename="duty-handover")
urlpatterns = router.urls
