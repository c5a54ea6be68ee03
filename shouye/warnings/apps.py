from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarningsConfig(AppConfig):
    name = "shouye.warnings"
    label = "warnings"
    verbose_name = _("Warnings and seasons")

    def ready(self):
        from shouye.audit import verbs
        from shouye.core.registry import DemoStep, NavEntry, demo_steps, navigation, permission_bundles

        from . import (
            actions,  # noqa: F401  registers the warning's action set
            cockpit,  # noqa: F401  registers the cockpit panel
            demo,
            panels,  # noqa: F401  registers the home panel
            permissions,
            todos,  # noqa: F401  registers the to-dos
        )

        verbs.register("warning.issue", _("entered the warning and notified the units"))
        verbs.register("warning.adjust", _("adjusted the warning's level"))
        verbs.register("warning.lift", _("lifted the warning"))
        verbs.register("warning.acknowledge", _("acknowledged the warning"))
        verbs.register("warning.enterprise-acknowledge", _("acknowledged the warning for the enterprise"))
        verbs.register("warning.tick", _("ticked a measure of the warning"))
        verbs.register("warning.season", _("recorded the season's dates"))
        verbs.register("warning.fire-danger", _("recorded the day's fire-danger level"))
        verbs.register("warning.table", _("edited the warnings' tables"))

        permission_bundles.register(self.label, permissions.BUNDLE)
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=60, run=demo.load_warnings))
        navigation.register(NavEntry(key="warnings", label=_("Warnings"), url_name="warnings:list", order=2,
                                     permission=permissions.VIEW, group="response"))
