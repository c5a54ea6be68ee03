from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "shouye.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from shouye.audit import verbs
        from shouye.core.registry import RetainedFiles, retained_files

        from . import panels  # noqa: F401  registers the home-page panels
        from .models import ImportJob

        retained_files.append(RetainedFiles(model=ImportJob, fields=("file", "error_file"),
                                            verb="enterprise.import-files-removed"))

        verbs.register("enterprise.create", _("registered the enterprise"))
        verbs.register("enterprise.update", _("changed the enterprise"))
        verbs.register("enterprise.moved", _("moved the enterprise's records to its new township or industry"))
        verbs.register("enterprise.export", _("exported enterprises"))
        verbs.register("enterprise.import", _("imported enterprises"))
        verbs.register("enterprise.import-files-removed", _("deleted the import's files after their retention"))
