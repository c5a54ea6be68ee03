from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "shouye.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from shouye.audit import verbs
        from shouye.core.registry import (
            DemoStep,
            NavEntry,
            RetainedFiles,
            demo_steps,
            navigation,
            permission_bundles,
            retained_files,
        )

        from . import (
            cockpit,  # noqa: F401  registers the cockpit panels
            demo,
            layers,  # noqa: F401  registers the one map's layer
            panels,  # noqa: F401  registers the home-page panels
            permissions,
            todos,  # noqa: F401  registers the licences' to-do
        )
        from .models import ImportJob

        retained_files.append(RetainedFiles(model=ImportJob, fields=("file", "error_file"),
                                            verb="enterprise.import-files-removed"))

        verbs.register("enterprise.create", _("registered the enterprise"))
        verbs.register("enterprise.update", _("changed the enterprise"))
        verbs.register("enterprise.moved", _("moved the enterprise's records to its new township or industry"))
        verbs.register("enterprise.export", _("exported enterprises"))
        verbs.register("enterprise.import", _("imported enterprises"))
        verbs.register("enterprise.import-files-removed", _("deleted the import's files after their retention"))

        permission_bundles.register(self.label, permissions.BUNDLE)
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=10, run=demo.load_registry))
        navigation.register(NavEntry(key="enterprises", label=_("Enterprises"), url_name="enterprises:list", order=20,
                                     permission="enterprises.view_enterprise"))
        navigation.register(NavEntry(key="enterprise-import", label=_("Import"), url_name="enterprises:import",
                                     order=40, permission="enterprises.import_enterprise"))
