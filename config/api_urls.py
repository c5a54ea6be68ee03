"""Every API route under /api/v1/. Each app contributes its router registrations in api/urls.py."""

from django.urls import include, path

from shouye.core.api.todos import TodoView

urlpatterns = [
    path("todos/", TodoView.as_view(), name="api-todos"),
    path("", include("shouye.accounts.api.urls")),
    path("", include("shouye.regions.api.urls")),
    path("", include("shouye.enterprises.api.urls")),
    path("", include("shouye.calculators.api.urls")),
    path("", include("shouye.hazards.api.urls")),
    path("", include("shouye.risks.api.urls")),
    path("", include("shouye.inspections.api.urls")),
    path("", include("shouye.workareas.api.urls")),
    path("", include("shouye.major_hazards.api.urls")),
    # The board's route before any other permits route, so "board" is not read as a permit's id.
    path("", include("shouye.permits.api.board_urls")),
    path("", include("shouye.notifications.api.urls")),
    path("", include("shouye.workcalendar.api.urls")),
    path("", include("shouye.permits.api.urls")),
    path("", include("shouye.monitoring.api.urls")),
    path("", include("shouye.duty.api.urls")),
    path("", include("shouye.incidents.api.urls")),
    path("", include("shouye.resources.api.urls")),
    path("", include("shouye.plans.api.urls")),
    path("", include("shouye.warnings.api.urls")),
]
