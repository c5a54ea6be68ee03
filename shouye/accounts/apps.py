from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shouye.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib import admin

        from .views import admin_sign_in

        # Every password is checked by services.sign_in, with its lock-outs and audit events.
        admin.site.login = admin_sign_in
