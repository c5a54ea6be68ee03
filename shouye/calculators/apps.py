from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalculatorsConfig(AppConfig):
    name = "shouye.calculators"
    label = "calculators"
    verbose_name = _("Calculators")

    def ready(self):
        from shouye.core.registry import NavEntry, navigation

        # Open to every user with a role, as the page is (views.MemberRequiredMixin).
        navigation.register(NavEntry(key="calculators", label=_("Calculators"), url_name="calculators:index",
                                     order=60, condition=lambda user: bool(user.active_roles())))
