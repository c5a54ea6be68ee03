from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shouye.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.urls import register_converter

        from . import checks  # noqa: F401  registers the deployment checks
        from .cockpit import COCKPIT_PERMISSION
        from .converters import IdConverter
        from .registry import NavEntry, NavGroup, navigation

        # Before any URL pattern is read: the apps' ``<id:pk>`` needs it.
        register_converter(IdConverter, "id")
        navigation.register(NavEntry(key="home", label=_("Home"), url_name="core:home", order=10))
        navigation.register(NavEntry(key="cockpit", label=_("Cockpit"), url_name="core:cockpit", order=15,
                                     permission=COCKPIT_PERMISSION))
        # The response side's apps (incidents, warnings, rescue forces, plans) put their pages in one menu: a duty
        # officer at 3 a.m. finds them together, and the bar stays one line on a desk.
        navigation.register_group(NavGroup(key="response", label=_("Emergency response"), order=58))
        navigation.register(NavEntry(key="api", label=_("API"), url_name="api-docs", order=100))

