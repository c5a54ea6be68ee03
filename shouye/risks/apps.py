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
