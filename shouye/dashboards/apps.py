from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Pages assembled from what the apps register (ARCHITECTURE.md §1): the one map (一张图). Reads only."""

    name = "shouye.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from shouye.core.registry import NavEntry, navigation

        from .maps import sees_the_map

        navigation.register(NavEntry(key="map", label=_("Map"), url_name="map:index", order=58,
                                     condition=sees_the_map))
