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

        # The risk register (register part): navigation, the ledger-page panel, audit verbs, the demo step.
        from shouye.audit import verbs
        from shouye.core.registry import DemoStep, NavEntry, Panel, demo_steps, enterprise_panels, navigation

        from . import demo
        from .selectors.register import enterprise_panel_context

        navigation.register(NavEntry(key="risks", label=_("Risk control"), url_name="risks:index", order=45,
                                     permission="risks.view_riskpoint"))
        enterprise_panels.register(Panel(key="risk-register", title=_("Risk control"),
                                         template="risks/register/panel.html", context=enterprise_panel_context,
                                         order=30))
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=15, run=demo.load_risks))
        for verb, label in (
            ("risks.point-create", _("added a risk point")), ("risks.point-update", _("edited a risk point")),
            ("risks.point-retire", _("retired a risk point")),
            ("risks.point-forced-major", _("set the conditions that make a risk point major")),
            ("risks.source-add", _("added a hazard source")), ("risks.source-update", _("edited a hazard source")),
            ("risks.assess", _("assessed a hazard source")), ("risks.measure-add", _("added a control measure")),
            ("risks.measure-update", _("edited a control measure")),
            ("risks.special-plan", _("saved a special control plan")), ("risks.publish", _("published the risk list")),
            ("risks.regrade", _("re-graded the risk list by the tables in force")),
            ("risks.import", _("imported a risk list")),
            ("risks.district-tables", _("edited the district's risk assessment tables")),
            ("risks.enterprise-tables", _("edited the enterprise's own risk assessment tables")),
        ):
            verbs.register(verb, label)
