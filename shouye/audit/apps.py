from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shouye.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from shouye.core.registry import file_removal_hooks, verb_label_providers

        from . import checks, verbs  # noqa: F401  checks registers the deployment checks
        from .services import record_files_removed

        file_removal_hooks.append(record_files_removed)
        verb_label_providers.append(verbs.LABELS.get)

