from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "shouye.plans"
    label = "plans"
    verbose_name = _("Emergency plans and drills")

    def ready(self):
        from shouye.audit import verbs
        from shouye.core.registry import (
            DemoStep,
            MediaOwner,
            NavEntry,
            demo_steps,
            media_owners,
            navigation,
            permission_bundles,
            stamped_models,
        )

        from . import (
            actions,  # noqa: F401  registers the action sets
            demo,
            panels,  # noqa: F401  registers the enterprise-ledger panel
            permissions,
            todos,  # noqa: F401  registers the to-dos
        )
        from .models import PlanDocument, PlanUnit

        stamped_models.register(PlanUnit)
        media_owners.register(MediaOwner(prefix=PlanDocument.upload_prefix, model=PlanDocument, fields=("file",),
                                         permission=permissions.VIEW))
        permission_bundles.register(self.label, permissions.BUNDLE)
        navigation.register(NavEntry(key="plans", label=_("Emergency plans"), url_name="plans:list", order=4,
                                     permission=permissions.VIEW, group="response"))
        # After the registry, the accounts and the hazards (its drills report hazards).
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=42, run=demo.load_plans))
        for verb, label in (
            ("plans.create", _("wrote a draft emergency plan")), ("plans.edit", _("edited the draft plan")),
            ("plans.publish", _("published the emergency plan")), ("plans.file", _("recorded the plan's filing")),
            ("plans.evaluate", _("evaluated the emergency plan")), ("plans.revise", _("opened a revision of the plan")),
            ("plans.drill-plan", _("planned a drill")), ("plans.drill-hold", _("recorded the drill held")),
            ("plans.drill-cancel", _("cancelled the drill")), ("plans.drill-problem", _("recorded a problem found in "
                                                                                    "the drill")),
            ("plans.set-category", _("set the unit's drill category")),
            ("plans.attach", _("attached documents to the plan")),
            ("plans.export", _("exported the statistics of plans and drills")),
        ):
            verbs.register(verb, label)
