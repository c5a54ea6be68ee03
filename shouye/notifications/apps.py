from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "shouye.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from shouye.core.registry import DemoStep, demo_steps

        from . import (
            demo,
            todos,  # noqa: F401  registers the unread notifications' to-do
        )

        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=90,
                                     run=demo.read_old_notifications))
