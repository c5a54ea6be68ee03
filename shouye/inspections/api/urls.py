from rest_framework.routers import SimpleRouter

from .views import ChecklistViewSet, DocumentViewSet, InspectionPlanViewSet, InspectionViewSet

router = SimpleRouter()
router.register("checklists", ChecklistViewSet, basename="checklist")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("inspection-documents", DocumentViewSet, basename="inspection-document")
router.register("inspection-plans", InspectionPlanViewSet, basename="inspection-plan")
urlpatterns = router.urls
