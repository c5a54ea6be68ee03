from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "shouye.risks"
    label = "risks"
    verbose_name = _("Dual prevention")

    def ready(self):
        from shouye.core.registry import (
            MediaOwner,
            RetainedFiles,
            media_owners,
            permission_bundles,
            retained_files,
            stamped_models,
        )

        from . import permissions
        from .models import (
            EnterpriseRiskScore,
            FloorPlan,
            InvestigationTask,
            RiskImportJob,
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
        retained_files.append(RetainedFiles(model=RiskImportJob, fields=("file", "error_file"),
                                            verb="risks.import-files-removed"))

        self._ready_register()
        self._ready_plans()
        self._ready_tasks()
        self._ready_bureau()

    def _ready_register(self):
        """The risk register (register part): navigation, the ledger-page panel, audit verbs, the demo step."""
        from shouye.audit import verbs
        from shouye.core.registry import DemoStep, NavEntry, Panel, demo_steps, enterprise_panels, navigation

        from . import demo
        from .selectors.register import enterprise_panel_context

        navigation.register(NavEntry(key="risks", label=_("Risk control"), url_name="risks:index", order=45,
                                     permission="risks.view_riskpoint"))
        enterprise_panels.register(Panel(key="risk-register", title=_("Risk control"),
                                         template="risks/register/panel.html", context=enterprise_panel_context,
                                         order=30, condition=lambda user: user.has_perm("risks.view_riskpoint")))
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=15, run=demo.load_risks))
        for verb, label in (
            ("risks.point-create", _("added a risk point")), ("risks.point-update", _("edited a risk point")),
            ("risks.point-retire", _("retired a risk point")),
            ("risks.point-forced-major", _("set the conditions that make a risk point major")),
            ("risks.source-add", _("added a hazard source")), ("risks.source-update", _("edited a hazard source")),
            ("risks.source-delete", _("deleted a hazard source")),
            ("risks.measure-delete", _("deleted a control measure")),
            ("risks.assess", _("assessed a hazard source")), ("risks.measure-add", _("added a control measure")),
            ("risks.measure-update", _("edited a control measure")),
            ("risks.special-plan", _("saved a special control plan")), ("risks.publish", _("published the risk list")),
            ("risks.regrade", _("re-graded the risk list by the tables in force")),
            ("risks.import", _("imported a risk list")),
            ("risks.import-files-removed", _("deleted an imported risk list file after its retention")),
            ("risks.district-tables", _("edited the district's risk assessment tables")),
            ("risks.enterprise-tables", _("edited the enterprise's own risk assessment tables")),
            ("risks.enterprise-tables-reset", _("went back to the district's risk assessment tables")),
        ):
            verbs.register(verb, label)

    def _ready_plans(self):
        """The plant plan and the four-colour map (plan part): the enterprise ledger's panel and the audit verbs."""
        from shouye.audit import verbs

        from . import panels  # noqa: F401  registers the enterprise ledger's four-colour map panel

        verbs.register("risks.floor_plan.upload", _("uploaded the plant plan"))
        verbs.register("risks.plan_zone.create", _("drew a zone on the plan"))
        verbs.register("risks.plan_zone.update", _("changed the zone"))
        verbs.register("risks.plan_zone.delete", _("deleted the zone"))

    def _ready_tasks(self):
        """Investigation tasks (tasks part): the task engine's to-dos, audit verbs and demo step."""
        from shouye.audit import verbs
        from shouye.core.registry import DemoStep, NavEntry, demo_steps, navigation

        from . import demo_tasks, todos  # noqa: F401  todos registers the investigation to-dos

        navigation.register(NavEntry(key="my-investigations", label=_("My investigations"), url_name="risks:my-tasks",
                                     order=46, permission="risks.perform_investigation"))
        verbs.register("risk-task.create", _("set up the investigation task"))
        verbs.register("risk-task.create-for-list", _("set up investigation tasks for the whole risk list"))
        verbs.register("risk-task.stop", _("stopped the investigation task"))
        verbs.register("risk-task.complete", _("did the investigation"))
        verbs.register("risk-task.mark-missed", _("recorded missed investigations"))
        demo_steps.register(DemoStep(key="risk-tasks", label=_("Investigation tasks"), order=25,
                                     run=demo_tasks.load_risk_tasks))

    def _ready_bureau(self):
        """The bureau's view (bureau part): the map layer, the cockpit panels, the ledger-page panel, the
        navigation, the inspection plans' priority reason and the audit verbs."""
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
