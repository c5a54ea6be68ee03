from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "shouye.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring and alarms")

    def ready(self):
        from shouye.audit import verbs
        from shouye.core.registry import (
            DemoStep,
            MediaOwner,
            NavEntry,
            NavGroup,
            RetainedFiles,
            demo_steps,
            media_owners,
            navigation,
            permission_bundles,
            retained_files,
            retention_rules,
            stamped_models,
        )

        from . import (
            actions,  # noqa: F401  registers the alarm's action set
            cockpit,  # noqa: F401  registers the cockpit panels
            config_imports,  # noqa: F401  registers the points' background import (Celery finds only tasks.py)
            demo,
            layers,  # noqa: F401  registers the map layer
            panels,  # noqa: F401  registers the enterprise-ledger panel
            permissions,
            storage,  # registers the readings' retention check (40号令 Art. 13)
            tasks_storage,  # noqa: F401  registers the roll-up and partition tasks (Celery finds only tasks.py)
            todos,  # noqa: F401  registers the to-dos
        )
        from .intake import tasks as intake_tasks  # noqa: F401  registers the video inbox's safety-net task
        from .models import Alarm, AlarmPhoto, Camera, Gateway, MonitoringPoint, PointImportJob
        from .report import EXPORT_VERB
        from .workflow import BOARD, CONFIGURE, HANDLE, MANAGE_RULES, VIEW, VIEW_POINTS

        for model in (Gateway, MonitoringPoint, Camera, Alarm):
            stamped_models.register(model)
        media_owners.register(MediaOwner(prefix="monitoring/", model=AlarmPhoto, fields=("image", "thumbnail"),
                                         permission=VIEW))
        permission_bundles.register(self.label, permissions.BUNDLE)
        retention_rules["monitoring_readings"] = storage.remove_expired_readings
        retained_files.append(RetainedFiles(model=PointImportJob, fields=("file", "error_file"),
                                            verb="monitoring.point.import-files-removed"))
        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=45, run=demo.load_monitoring))

        for verb, label in (
            # Configuration (gateways, points, the rule tables).
            ("monitoring.gateway.create", _("registered the gateway")),
            ("monitoring.gateway.edit", _("edited the gateway")),
            ("monitoring.gateway.deactivate", _("took the gateway and its points out of service")),
            ("monitoring.point.create", _("added the monitoring point")),
            ("monitoring.point.edit", _("edited the monitoring point")),
            ("monitoring.point.deactivate", _("took the monitoring point out of service")),
            ("monitoring.point.import", _("imported monitoring points")),
            ("monitoring.point.import-files-removed", _("deleted an imported point file after its retention")),
            ("monitoring.rules.edit", _("edited the alarm rules")),
            ("monitoring.triggers.edit", _("edited the alarm triggers")),
            ("monitoring.scenario.create", _("added the scenario")),
            ("monitoring.scenario.edit", _("edited the scenario")),
            # The video vendors and cameras.
            ("alarm-vendor.create", _("registered the video vendor")),
            ("alarm-vendor.update", _("changed the video vendor")),
            ("alarm-vendor.rotate-secret", _("issued a new secret to the video vendor")),
            ("alarm-vendor.map-code", _("mapped a type code of the video vendor to a scenario")),
            ("camera.create", _("registered the camera")),
            ("camera.update", _("changed the camera")),
            ("camera.deactivate", _("switched the camera off")),
            # Raised by the ingest or the video intake, as the system.
            ("alarm.raise", _("raised the alarm")),
            ("alarm.worsen", _("worsened the alarm")),
            ("alarm.auto-clear", _("cleared the alarm when the value was back within limits")),
            # The lifecycle's acts.
            ("alarm.acknowledge", _("acknowledged the alarm")),
            ("alarm.handle", _("started handling the alarm")),
            ("alarm.record", _("added to the handling of the alarm")),
            ("alarm.clear", _("cleared the alarm")),
            ("alarm.close", _("closed the alarm")),
            ("alarm.report_hazard", _("reported a hazard from the alarm")),
            ("alarm.escalate", _("escalated the alarm: not acknowledged in time")),
            ("alarm.export", _("exported the alarm list")),
            (EXPORT_VERB, _("exported the daily alarm report")),
        ):
            verbs.register(verb, label)

        # One drop-down menu for the app's pages, in the order of the work: handle, watch, configure.
        navigation.register_group(NavGroup(key="monitoring", label=_("Monitoring and alarms"), order=58))
        for order, (key, label, url_name, permission) in enumerate((
            ("alarm-console", _("Duty console"), "monitoring:console", HANDLE),
            ("alarms", _("Alarms"), "monitoring:alarm-list", VIEW),
            ("alarm-board", _("Alarm board"), "monitoring:board", BOARD),
            ("alarm-statistics", _("Alarm statistics"), "monitoring:statistics", BOARD),
            ("monitoring", _("Monitoring points"), "monitoring:points", VIEW_POINTS),
            ("cameras", _("Cameras"), "monitoring:cameras", CONFIGURE),
            ("video-vendors", _("Video vendors"), "monitoring:vendors", MANAGE_RULES),
            ("monitoring-rules", _("Alarm rules"), "monitoring:rules", MANAGE_RULES),
        )):
            navigation.register(NavEntry(key=key, label=label, url_name=url_name, order=order,
                                         permission=permission, group="monitoring"))
