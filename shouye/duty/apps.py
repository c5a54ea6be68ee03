from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "shouye.duty"
    label = "duty"
    verbose_name = _("Duty")

    def ready(self):
        from shouye.audit import verbs
        from shouye.core.registry import (
            DemoStep,
            NavEntry,
            NavGroup,
            demo_steps,
            navigation,
            permission_bundles,
            stamped_models,
        )

        from . import actions, demo, permissions, todos  # noqa: F401  actions and todos register themselves
        from .models import Roster

        stamped_models.register(Roster)
        for verb, label in (
            ("duty.roster-create", _("created the duty roster")),
            ("duty.roster-generate", _("generated the duty roster from the rotation")),
            ("duty.roster-publish", _("published the duty roster")),
            ("duty.roster-file", _("filed the duty roster with the bureau")),
            ("duty.assignment-add", _("put a person on duty")),
            ("duty.assignment-remove", _("took a person off duty")),
            ("duty.swap-request", _("asked to swap a shift")),
            ("duty.swap-agree", _("agreed to swap a shift")),
            ("duty.swap-decline", _("declined to swap a shift")),
            ("duty.swap-approve", _("approved a shift swap")),
            ("duty.swap-reject", _("rejected a shift swap")),
            ("duty.log-entry", _("recorded a duty log entry")),
            ("duty.log-close", _("closed a duty log entry")),
            ("duty.handover", _("handed the shift over")),
            ("duty.handover-acknowledge", _("acknowledged the handover")),
            ("duty.setup", _("changed the duty setup")),
        ):
            verbs.register(verb, label)

        permission_bundles.register(self.label, permissions.BUNDLE)
        navigation.register_group(NavGroup(key="duty", label=_("Duty"), order=59))
        for order, (key, label, url_name, permission) in enumerate((
            ("duty-now", _("On duty now"), "duty:now", permissions.VIEW),
            ("duty-rosters", _("Duty rosters"), "duty:rosters", permissions.VIEW),
            ("duty-swaps", _("Shift swaps"), "duty:swaps", permissions.VIEW_SWAP),
            ("duty-log", _("Duty log"), "duty:log", permissions.VIEW_LOG),
            ("duty-setup", _("Duty setup"), "duty:setup", permissions.SETUP),
        )):
            navigation.register(NavEntry(key=key, label=label, url_name=url_name, order=order,
                                         permission=permission, group="duty"))
        # After the registry and accounts (10): the bureau's accounts are on the rotation.
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=80, run=demo.load_duty))
