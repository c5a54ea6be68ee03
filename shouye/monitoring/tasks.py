"""Background jobs of the alarms. Each only calls a service; idempotent."""

from celery import shared_task

from . import services


@shared_task(name="shouye.monitoring.tasks.announce_alarms", ignore_result=True)
def announce_alarms(alarm_ids: list[int]) -> int:
    """Tell the people of each new alarm's level rule (the ingest and the video intake call it after their
    commit). A retried task tells nobody twice."""
    return services.announce_alarms(alarm_ids)


@shared_task(name="shouye.monitoring.tasks.escalate_alarms", ignore_result=True)
def escalate_alarms() -> int:
    """Celery beat "monitoring-escalate", every minute: raised alarms past their acknowledgement deadline are
    escalated to the rule's ``escalate_roles`` (REGULATIONS-2 §B.5 [U])."""
    return services.escalate_overdue_alarms()
