from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "shouye.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

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
            actions,  # noqa: F401  registers the incident's action set
            cockpit,  # noqa: F401  registers the cockpit panel
            layers,  # noqa: F401  registers the map layer
            permissions,
            response_actions,  # noqa: F401  registers the response's action set
            todos,  # noqa: F401  registers the clocks' and the tasks' to-dos
        )
        from .models import Incident, IncidentPhoto
        from .workflow import VIEW

        stamped_models.register(Incident)
        media_owners.register(MediaOwner(prefix="incidents/", model=IncidentPhoto, fields=("image", "thumbnail"),
                                         permission=VIEW))
        permission_bundles.register(self.label, permissions.BUNDLE)
        for verb, label in (
            ("incident.report", _("took the incident")),
            ("incident.update", _("updated the incident's situation")),
            ("incident.entry", _("added to the incident's timeline")),
            ("incident.report-sent", _("recorded a report sent")),
            ("incident.command-post", _("set up the on-site command post")),
            ("incident.close", _("closed the incident")),
            ("incident.clock-missed", _("marked a reporting clock missed")),
            ("incident.dispatch-team", _("dispatched a team to the incident")),
            ("incident.dispatch-items", _("dispatched materials to the incident")),
            ("incident.return-team", _("recorded a team back from the incident")),
            ("incident.activate-plan", _("activated an emergency plan for the incident")),
            ("incident.task-assign", _("gave a task to a township or department")),
            ("incident.task-acknowledge", _("acknowledged an incident task")),
            ("incident.task-complete", _("reported an incident task done")),
            ("incident.investigation-extend", _("extended the investigation report")),
            ("incident.position", _("reported the position on site")),
            ("incident.photos", _("added photos from the site")),
        ):
            verbs.register(verb, label)
        from shouye.core.registry import DemoStep, demo_steps

        from . import demo

        demo_steps.register(DemoStep(key=self.label, label=self.verbose_name, order=65, run=demo.load_incidents))
        navigation.register(NavEntry(key="incidents", label=_("Incidents"), url_name="incidents:list", order=1,
                                     permission=VIEW, group="response"))
