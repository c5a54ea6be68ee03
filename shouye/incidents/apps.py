from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "shouye.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from shouye.audit import verbs
        from shouye.core.registry import NavEntry, navigation, permission_bundles, stamped_models

        from . import (
            actions,  # noqa: F401  registers the incident's action set
            cockpit,  # noqa: F401  registers the cockpit panel
            layers,  # noqa: F401  registers the map layer
            permissions,
            response_actions,  # noqa: F401  registers the response's action set
            todos,  # noqa: F401  registers the clocks' to-do
        )
        from .models import Incident
        from .workflow import VIEW

        stamped_models.register(Incident)
        permission_bundles.register(self.label, permissions.BUNDLE)
        for verb, label in (
            ("incident.report", _("took the incident")),
            ("incident.update", _("updated the incident's situation")),
            ("incident.entry", _("added to the incident's timeline")),
            ("incident.report-sent", _("recorded a report sent")),
            ("incident.command-post", _("set up the on-site command post")),
            ("incident.close", _("closed the incident")),
            ("incident.clock-missed", _("marked a reporting clock missed")),
            ("incident.position", _("set the incident's position")),
            ("incident.dispatch-team", _("dispatched a team to the incident")),
            ("incident.dispatch-items", _("dispatched materials to the incident")),
            ("incident.return-team", _("recorded a team back from the incident")),
            ("incident.activate-plan", _("activated an emergency plan for the incident")),
        ):
            verbs.register(verb, label)
        from shouye.core.registry import DemoStep, demo_steps

        from . import demo

        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=65, run=demo.load_incidents))
        navigation.register(NavEntry(key="incidents", label=_("Incidents"), url_name="incidents:list", order=1,
                                     permission=VIEW, group="response"))
