from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "shouye.resources"
    label = "resources"
    verbose_name = _("Rescue forces and reserves")

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
            actions,  # noqa: F401  registers the team's and the warehouse's action sets
            demo,
            layers,  # noqa: F401  registers the map layers
            panels,  # noqa: F401  registers the enterprise-ledger panel
            permissions,
            tasks,  # noqa: F401  registers the background import
            todos,  # noqa: F401  registers the to-dos
        )
        from .models import StockImportJob, Team, Warehouse

        stamped_models.register(Team)
        stamped_models.register(Warehouse)
        retained_files.append(RetainedFiles(model=StockImportJob, fields=("file", "error_file"),
                                            verb="resources.import-files-removed"))
        for verb, label in (
            ("resources.team-create", _("registered the rescue team")),
            ("resources.team-deploy", _("dispatched the rescue team")),
            ("resources.team-return", _("recorded the team back and ready")),
            ("resources.team-stand-down", _("stood the team down")),
            ("resources.team-add-member", _("added a team member")),
            ("resources.team-remove-member", _("removed a team member")),
            ("resources.team-add-equipment", _("added equipment to the team")),
            ("resources.team-add-agreement", _("recorded a rescue agreement")),
            ("resources.team-rule", _("edited the minimum members of a kind of team")),
            ("resources.item-create", _("added an item to the catalogue of materials")),
            ("resources.warehouse-create", _("registered the warehouse")),
            ("resources.warehouse-close", _("closed the warehouse")),
            ("resources.stock-in", _("received stock")),
            ("resources.stock-out", _("issued stock")),
            ("resources.dispatch-items", _("dispatched materials")),
            ("resources.transfer", _("transferred stock")),
            ("resources.scrap", _("scrapped stock")),
            ("resources.set-minimum", _("set the minimum stock")),
            ("resources.stock-import", _("imported a stock list")),
            ("resources.import-files-removed", _("deleted an imported stock list after its retention")),
            ("resources.reserve-create", _("recorded the reserve")),
            ("resources.reserve-set-item", _("set an item of the reserve")),
            ("resources.reserve-terminate", _("terminated the reserve agreement")),
            ("resources.road-network-upload", _("uploaded the road network")),
            ("resources.road-network-deactivate", _("deactivated the road network")),
        ):
            verbs.register(verb, label)
        permission_bundles.register(self.label, permissions.BUNDLE)
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=60, run=demo.load_resources))
        navigation.register(NavEntry(key="resources", label=_("Emergency resources"), url_name="resources:teams",
                                     order=3, permission=permissions.VIEW_TEAM, group="response"))
