from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "shouye.hazards"
    label = "hazards"
    verbose_name = _("Hazards")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from shouye.audit import verbs
        from shouye.core.registry import (
            DemoStep,
            MediaOwner,
            NavEntry,
            RetainedFiles,
            demo_steps,
            media_owners,
            navigation,
            permission_bundles,
            retained_files,
            stamped_models,
        )

        from . import (
            actions,  # noqa: F401  registers the hazard and tip-off action sets
            cockpit,  # noqa: F401  registers the cockpit panels
            demo,
            exports,  # noqa: F401  registers the background ledger export task
            layers,  # noqa: F401  registers the one map's layer
            panels,  # noqa: F401  registers the home and enterprise-ledger panels
            permissions,
            tipoff_todos,  # noqa: F401  registers the township's to-do "tip-offs to check"
            todos,  # noqa: F401  registers the hazards' and tip-offs' to-dos
            totals,
        )
        from .models import Hazard, HazardPhoto, LedgerExport, TipOff

        stamped_models.register(Hazard, restamp=totals.hazards_moved)
        stamped_models.register(TipOff)

        retained_files.append(RetainedFiles(model=LedgerExport, fields=("file",), verb="hazard.export-files-removed"))

        media_owners.register(MediaOwner(prefix="hazards/", model=HazardPhoto, fields=("image", "thumbnail"),
                                         permission="hazards.view_hazard"))
        media_owners.register(MediaOwner(prefix="tipoffs/", model=TipOff, fields=("photo",),
                                         permission="hazards.view_tipoff"))

        verbs.register("hazard.report", _("reported the hazard"))
        verbs.register("hazard.assign", _("ordered rectification"))
        verbs.register("hazard.submit", _("submitted the rectification"))
        verbs.register("hazard.verify", _("passed the re-inspection and closed out the hazard"))
        verbs.register("hazard.reject", _("rejected the rectification"))
        verbs.register("hazard.close-on-spot", _("closed the hazard on the spot"))
        verbs.register("hazard.request-extension", _("asked for a later deadline"))
        verbs.register("hazard.approve-extension", _("decided an extension request"))
        verbs.register("hazard.expert-verify", _("gave the expert verification"))
        verbs.register("hazard.governance-plan", _("wrote the governance plan"))
        verbs.register("hazard.listed-supervision", _("put the hazard under listed supervision"))
        verbs.register("hazard.mark-overdue", _("marked overdue hazards"))
        verbs.register("hazard.export", _("exported the hazard ledger"))
        verbs.register("hazard.export-files-removed", _("deleted the exported ledger after its retention"))
        verbs.register("tipoff.submit", _("sent a tip-off"))
        verbs.register("tipoff.dismiss", _("dismissed the tip-off"))
        verbs.register("tipoff.send", _("sent the tip-off to the township to check"))
        verbs.register("tipoff.check", _("recorded the township's check of the tip-off"))

        permission_bundles.register(self.label, permissions.BUNDLE)
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=30, run=demo.load_hazards))
        navigation.register(NavEntry(key="hazards", label=_("Hazards"), url_name="hazards:list", order=50,
                                     permission="hazards.view_hazard"))
