"""The video inbox's safety net (Celery beat "monitoring-video-inbox", every minute, migration 0005_video_inbox);
imported by MonitoringConfig.ready(), since Celery discovers only ``tasks`` modules."""

from celery import shared_task

from . import services

#: The longest a run drains, under the minute between two runs so that they do not overlap.
SECONDS = 50


@shared_task(name="shouye.monitoring.intake.tasks.drain_video_inbox", ignore_result=True)
def drain_video_inbox() -> int:
    """The events no processor (``shouye intake``) made alarms — none running, or one that stopped — made
    alarms; the processed rows past their keeping time removed."""
    drained = services.drain_all(seconds=SECONDS)
    services.remove_processed()
    return drained
