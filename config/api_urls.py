"""Every API route under /api/v1/. Each app contributes its router registrations in api/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("shouye.accounts.api.urls")),
    path("", include("shouye.regions.api.urls")),
    path("", include("shouye.enterprises.api.urls")),
    path("", include("shouye.calculators.api.urls")),
    path("", include("shouye.hazards.api.urls")),
    path("", include("shouye.inspections.api.urls")),
    path("", include("shouye.notifications.api.urls")),
]
