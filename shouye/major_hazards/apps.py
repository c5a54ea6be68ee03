from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MajorHazardsConfig(AppConfig):
    name = "shouye.major_hazards"
    label = "major_hazards"
    verbose_name = _("Major hazard installations")

    def ready(self):
        from shouye.audit import verbs
        from shouye.core.registry import (
            DemoStep,
            NavEntry,
            demo_steps,
            navigation,
            permission_bundles,
            stamped_models,
        )

        from . import (
            actions,  # noqa: F401  registers the installation's action set
            cockpit,  # noqa: F401  registers the cockpit panel
            demo,
            layers,  # noqa: F401  registers the map layer
            panels,  # noqa: F401  registers the enterprise-ledger panel
            permissions,
            todos,  # noqa: F401  registers the to-dos
        )
        from .models import MajorHazardInstallation
        from .workflow import VIEW

        stamped_models.register(MajorHazardInstallation)
        verbs.register("major-hazard.create", _("registered the major hazard installation"))
        verbs.register("major-hazard.edit", _("edited the major hazard installation"))
        verbs.register("major-hazard.add-substance", _("added a substance and recomputed"))
        verbs.register("major-hazard.remove-substance", _("removed a substance and recomputed"))
        verbs.register("major-hazard.file", _("recorded the filing"))
        verbs.register("major-hazard.cancel", _("cancelled the major hazard installation"))
        verbs.register("major-hazard.appoint", _("appointed a responsible person"))
        verbs.register("major-hazard.record-duty", _("recorded a responsible person's duty"))
        verbs.register("major-hazard.duty-item", _("edited a duty item of the responsible persons' task lists"))
        verbs.register("major-hazard.export", _("exported the major hazard installations"))

        permission_bundles.register(self.label, permissions.BUNDLE)
        # After the investigation tasks (order 25): their quarter of nightly runs does the tasks it finds.
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=26,
                                     run=demo.load_major_hazards))
        navigation.register(NavEntry(key="major-hazards", label=_("Major hazards"), url_name="major_hazards:list",
                                     order=56, permission=VIEW))
