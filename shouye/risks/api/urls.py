from rest_framework.routers import SimpleRouter

from .tasks import InvestigationTaskViewSet, TaskInstanceViewSet

router = SimpleRouter()
router.register("investigation-tasks", InvestigationTaskViewSet, basename="investigation-task")
router.register("task-instances", TaskInstanceViewSet, basename="task-instance")
urlpatterns = router.urls
