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

        # --- investigation tasks (the task engine, doing instances, to-dos) ---
        from shouye.audit import verbs
        from shouye.core.registry import DemoStep, demo_steps

        from . import demo_tasks, todos  # noqa: F401  todos registers the investigation to-dos

        verbs.register("risk-task.create", _("set up the investigation task"))
        verbs.register("risk-task.create-for-list", _("set up investigation tasks for the whole risk list"))
        verbs.register("risk-task.stop", _("stopped the investigation task"))
        verbs.register("risk-task.complete", _("did the investigation"))
        verbs.register("risk-task.mark-missed", _("recorded missed investigations"))
        demo_steps.register(DemoStep(key="risk-tasks", label=_("Investigation tasks"), order=25,
                                     run=demo_tasks.load_risk_tasks))
