from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "shouye.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

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
            reinspection_recorders,
            stamped_models,
        )

        from . import (
            actions,  # noqa: F401  registers the inspection action set
            cockpit,  # noqa: F401  registers the cockpit panels
            demo,
            layers,  # noqa: F401  registers the one map's layer
            panels,  # noqa: F401  registers the enterprise-ledger panel
            permissions,
            reinspection,
            todos,  # noqa: F401  registers the inspections' to-dos
        )
        from .models import Inspection, InspectionPhoto, InspectionPlan

        if reinspection.record_hazard_reinspection not in reinspection_recorders:
            reinspection_recorders.append(reinspection.record_hazard_reinspection)
        stamped_models.register(Inspection)
        stamped_models.register(InspectionPlan)

        media_owners.register(MediaOwner(prefix="inspections/", model=InspectionPhoto,
                                         fields=("image", "thumbnail"), permission="inspections.view_inspection"))

        verbs.register("inspection.start", _("started the inspection"))
        verbs.register("inspection.record", _("recorded checklist results"))
        verbs.register("inspection.photos", _("added inspection photos"))
        verbs.register("inspection.finish", _("finished the inspection"))
        verbs.register("inspection.document", _("issued a document"))
        verbs.register("inspection.reinspect", _("re-inspected a hazard"))
        verbs.register("inspection_plan.generate", _("generated the inspection plans"))
        verbs.register("inspection_plan.update", _("changed the inspection plan"))

        permission_bundles.register(self.label, permissions.BUNDLE)
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=20, run=demo.load_inspections))
        navigation.register(NavEntry(key="inspections", label=_("Inspections"), url_name="inspections:list", order=30,
                                     permission="inspections.view_inspection"))
