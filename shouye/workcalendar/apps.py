from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "shouye.workcalendar"
    label = "workcalendar"
    verbose_name = _("Work calendar")

    def ready(self):
        from shouye.core.registry import NavEntry, navigation, permission_bundles

        from . import permissions

        permission_bundles.register(self.label, permissions.BUNDLE)
        navigation.register(NavEntry(key="workcalendar", label=_("Work calendar"), url_name="workcalendar:list",
                                     order=70, permission="workcalendar.add_workcalendaryear"))
        navigation.register(NavEntry(key="special-periods", label=_("Special periods"),
                                     url_name="workcalendar:periods", order=71,
                                     condition=lambda user: bool(user.active_roles())))
