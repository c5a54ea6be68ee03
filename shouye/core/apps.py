from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shouye.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks  # noqa: F401  registers the deployment checks
        from .registry import NavEntry, navigation

        navigation.register(NavEntry(key="home", label=_("Home"), url_name="core:home", order=10))
        navigation.register(NavEntry(key="api", label=_("API"), url_name="api-docs", order=100))

