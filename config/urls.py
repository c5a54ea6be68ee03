from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shouye.core import media
from shouye.hazards.urls import public_urlpatterns as tip_off_urlpatterns
from shouye.monitoring.api.urls import intake_urlpatterns

urlpatterns = [
    # The video vendors' alarm intake first: it carries 1,000 alarms a second (issue 13), and resolving it
    # behind every other route cost a tenth of its time.
    path("api/v1/", include(intake_urlpatterns)),
    path("", include("shouye.core.urls")),
    path("accounts/", include("shouye.accounts.urls")),
    path("enterprises/", include("shouye.enterprises.urls")),
    path("calendar/", include("shouye.workcalendar.urls")),
    path("calculators/", include("shouye.calculators.urls")),
    path("notifications/", include("shouye.notifications.urls")),
    path("inspections/", include("shouye.inspections.urls")),
    path("hazards/", include("shouye.hazards.urls")),
    path("risks/", include("shouye.risks.urls")),
    path("work-areas/", include("shouye.workareas.urls")),
    path("major-hazards/", include("shouye.major_hazards.urls")),
    path("permits/", include("shouye.permits.urls")),
    path("monitoring/", include("shouye.monitoring.urls")),
    path("duty/", include("shouye.duty.urls")),
    path("incidents/", include("shouye.incidents.urls")),
    path("resources/", include("shouye.resources.urls")),
    path("emergency-plans/", include("shouye.plans.urls")),
    path("warnings/", include("shouye.warnings.urls")),
    path("map/", include("shouye.dashboards.urls")),
    path("tip-off/", include((tip_off_urlpatterns, "tip-off"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("media/<path:name>", media.serve, name="media"),
]

handler403 = "shouye.core.api.errors.permission_denied"
handler404 = "shouye.core.api.errors.not_found"
handler500 = "shouye.core.api.errors.server_error"
