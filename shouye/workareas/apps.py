from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkAreasConfig(AppConfig):
    name = "shouye.workareas"
    label = "workareas"
    verbose_name = _("High-risk work areas")

    def ready(self):
        from shouye.audit import verbs
        from shouye.core.registry import (
            DemoStep,
            NavEntry,
            RetainedFiles,
            demo_steps,
            navigation,
            permission_bundles,
            retained_files,
            stamped_models,
        )

        from . import (
            demo,
            panels,  # noqa: F401  registers the enterprise-ledger panel
            permissions,
            tasks,  # noqa: F401  registers the background import and export
            todos,  # noqa: F401  registers the to-dos
        )
        from .models import WorkArea, Worker, WorkerExport, WorkerImportJob

        stamped_models.register(WorkArea)
        stamped_models.register(Worker)
        retained_files.append(RetainedFiles(model=WorkerImportJob, fields=("file", "error_file"),
                                            verb="worker.import-files-removed"))
        retained_files.append(RetainedFiles(model=WorkerExport, fields=("file",), verb="worker.export-files-removed"))

        verbs.register("workarea.assess", _("assessed the work area"))
        verbs.register("workarea.update", _("changed the work area's assessment"))
        verbs.register("worker.register", _("added the person to the personnel ledger"))
        verbs.register("worker.update", _("changed the person's record"))
        verbs.register("worker.remove", _("took the person off the personnel ledger"))
        verbs.register("worker.import", _("imported the personnel ledger"))
        verbs.register("worker.export", _("exported the personnel ledger"))
        verbs.register("worker.import-files-removed", _("deleted an imported ledger file after its retention"))
        verbs.register("worker.export-files-removed", _("deleted an exported ledger file after its retention"))

        permission_bundles.register(self.label, permissions.BUNDLE)
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=25, run=demo.load_workareas))
        navigation.register(NavEntry(key="workareas", label=_("High-risk work areas"), url_name="workareas:list",
                                     order=55, permission="workareas.view_workarea"))
