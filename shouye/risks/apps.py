from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "shouye.risks"
    label = "risks"
    verbose_name = _("Dual prevention")

    def ready(self):
        from shouye.core.registry import MediaOwner, media_owners, permission_bundles, stamped_models

        from . import permissions
        from .models import (
            EnterpriseRiskScore,
            FloorPlan,
            InvestigationTask,
            RiskPoint,
            RiskRegister,
            TaskCheckPhoto,
            TaskDailyTotal,
            TaskInstance,
        )

        for model in (RiskRegister, FloorPlan, RiskPoint, InvestigationTask, TaskInstance, TaskDailyTotal,
                      EnterpriseRiskScore):
            stamped_models.register(model)
        media_owners.register(MediaOwner(prefix="risks/checks/", model=TaskCheckPhoto, fields=("image", "thumbnail"),
                                         permission="risks.view_investigationtask"))
        media_owners.register(MediaOwner(prefix="risks/plans/", model=FloorPlan, fields=("image",),
                                         permission="risks.view_riskpoint"))
        permission_bundles.register(self.label, permissions.BUNDLE)

        # The plant plan and the four-colour map (issue 11): the enterprise ledger's panel and the audit verbs.
        from shouye.audit import verbs

        from . import panels  # noqa: F401  registers the enterprise ledger's four-colour map panel

        verbs.register("risks.floor_plan.upload", _("uploaded the plant plan"))
        verbs.register("risks.plan_zone.create", _("drew a zone on the plan"))
        verbs.register("risks.plan_zone.update", _("changed the zone"))
        verbs.register("risks.plan_zone.delete", _("deleted the zone"))

        self._ready_bureau()

    def _ready_bureau(self):
        """The bureau's view (bureau part): the map layer, the cockpit panels, the ledger-page panel, the
        navigation, the inspection plans' priority reason and the audit verbs."""
        from django.utils.translation import gettext_lazy as _

        from shouye.audit import verbs
        from shouye.core.registry import (
            InspectionPrioritySource,
            NavEntry,
            inspection_priority_sources,
            navigation,
        )

        from . import (
            cockpit,  # noqa: F401  registers the cockpit panels
            layers,  # noqa: F401  registers the one map's risk layer
            panels_bureau,  # noqa: F401  registers the ledger page's dual-prevention panel
        )
        from .selectors.liveness import inactive_enterprise_ids

        navigation.register(NavEntry(key="risk-liveness", label=_("Dual-prevention liveness"),
                                     url_name="risks:liveness", order=59, permission="risks.view_liveness"))
        inspection_priority_sources.register(InspectionPrioritySource(
            key="risk-inactive", label=_("Dual prevention inactive"), flagged=inactive_enterprise_ids,
            permission="risks.view_liveness"))
        verbs.register("risk_score.record", _("recorded the enterprise's 100-point risk assessment"))
        verbs.register("risk_liveness.export", _("exported the dual-prevention liveness"))
