from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "shouye.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        from . import panels  # noqa: F401  registers the home-page panels
