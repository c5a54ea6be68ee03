"""The alarm's lifecycle (issue 13), one table for both streams: raised → acknowledged → handling (cause,
measures, photos) → cleared → closed with a disposition.

- A person acknowledges, handles, clears and closes; acknowledging may be skipped by starting to handle.
- ``clear`` by a person: a video alarm always (the scene is clear; it needs a manual close), a sensor alarm
  when its level's rule clears by hand, or when its value is back within limits. The ingest clears a sensor
  alarm of an automatic rule itself (``services.clear_automatically``), from any active state, as the system.
- ``close`` records the disposition (real / false / maintenance / test) of a cleared alarm.
- ``report-hazard`` takes an alarm (typically one that repeats, issue 13) into the hazard loop, once.

Everything is audited by the services."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from shouye.core.workflow import Step, Workflow

from .choices import ACTIVE_STATES, OPEN_STATES
from .choices import AlarmState as S

VIEW = "monitoring.view_alarm"
HANDLE = "monitoring.handle_alarm"
BOARD = "monitoring.view_alarm_board"
VIEW_POINTS = "monitoring.view_monitoringpoint"
CONFIGURE = "monitoring.configure_monitoring"
MANAGE_RULES = "monitoring.manage_alarm_rules"
#: Reporting the hazard of an alarm is reporting a hazard: the hazards app's verb (a leader watches the board
#: but does not report hazards).
REPORT_HAZARD = "hazards.report_hazard"


def _may_report_hazards(actor, alarm) -> None:
    if not actor.has_perm(REPORT_HAZARD):
        raise PermissionDenied(_("You do not have permission to report hazards."))

WORKFLOW = Workflow(states=S, steps=[
    Step("acknowledge", sources=(S.RAISED,), target=S.ACKNOWLEDGED, permissions=(HANDLE,)),
    Step("handle", sources=(S.RAISED, S.ACKNOWLEDGED), target=S.HANDLING, permissions=(HANDLE,)),
    Step("record", sources=(S.HANDLING,), permissions=(HANDLE,)),
    Step("clear", sources=ACTIVE_STATES, target=S.CLEARED, permissions=(HANDLE,)),
    Step("close", sources=(S.CLEARED,), target=S.CLOSED, permissions=(HANDLE,)),
    Step("report-hazard", sources=(*OPEN_STATES, S.CLOSED), permissions=(HANDLE, BOARD),
         check=_may_report_hazards, offered=lambda actor, alarm: alarm.hazard_id is None),
])
