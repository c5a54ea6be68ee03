from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "shouye.permits"
    label = "permits"
    verbose_name = _("Special-operation permits")

    def ready(self):
        from shouye.audit import verbs
        from shouye.core.registry import (
            MediaOwner,
            NavEntry,
            media_owners,
            navigation,
            permission_bundles,
            stamped_models,
        )

        from . import (
            actions,  # noqa: F401  registers the permit's action set
            cockpit,  # noqa: F401  registers the cockpit panels
            layers,  # noqa: F401  registers the map layer
            panels,  # noqa: F401  registers the enterprise-ledger panel
            permissions,
            todos,  # noqa: F401  registers the to-dos
        )
        from .models import PermitPhoto, SpecialOperationPermit
        from .statistics import EXPORT_VERB
        from .workflow import BOARD, VIEW

        stamped_models.register(SpecialOperationPermit)
        media_owners.register(MediaOwner(prefix="permits/", model=PermitPhoto, fields=("image", "thumbnail"),
                                         permission=VIEW))
        permission_bundles.register(self.label, permissions.BUNDLE)
        for verb, label in (
            ("permit.create", _("filled in the permit")),
            ("permit.edit", _("edited the draft permit")),
            ("permit.identify", _("recorded the risk identification")),
            ("permit.gas-test", _("recorded a gas test")),
            ("permit.confirm-measures", _("confirmed the safety measures")),
            ("permit.brief", _("recorded the safety briefing")),
            ("permit.sign", _("signed the permit")),
            ("permit.approve", _("approved the permit on site")),
            ("permit.check", _("checked the permit before hot work")),
            ("permit.file", _("filed the permit with the bureau")),
            ("permit.start", _("started the work")),
            ("permit.suspend", _("suspended the work")),
            ("permit.resume", _("resumed the work")),
            ("permit.revoke", _("took the permit back")),
            ("permit.accept", _("accepted the work on completion")),
            ("permit.archive", _("archived the permit")),
            ("permit.cancel", _("cancelled the permit")),
            ("permit.expire", _("closed the permit as expired")),
            ("permit.photo", _("added photos to the permit")),
        ):
            verbs.register(verb, label)
        navigation.register(NavEntry(key="permits", label=_("Special operations"), url_name="permits:list",
                                     order=57, permission=VIEW))

        # Retention of video links (B.3; importing the module registers its deployment check), and the demo.
        from shouye.core.registry import DemoStep, demo_steps, retention_rules

        from . import demo, retention

        retention_rules["permit_video_links"] = retention.remove_expired_video_links
        verbs.register("permit.video-link-removed", _("removed the video link after its retention"))
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=40, run=demo.load_permits))

        # The bureau's live board and statistics.
        verbs.register(EXPORT_VERB, _("exported the special-operation statistics"))
        navigation.register(NavEntry(key="permit-board", label=_("Operations board"), url_name="permits:board",
                                     order=57, permission=BOARD))
