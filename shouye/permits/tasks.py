"""Background jobs of the permits. Each only calls a service; idempotent."""

from celery import shared_task

from . import services


@shared_task(name="shouye.permits.tasks.expire_permits", ignore_result=True)
def expire_permits() -> dict:
    """Celery beat "permits-expire", every hour at :10 Asia/Shanghai: approved permits whose planned end has
    passed before completion are closed as expired (GB 30871-2022 4.16)."""
    return services.expire_permits()
