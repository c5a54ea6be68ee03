"""Background jobs of the audit app. Each only calls a service; all are idempotent."""

from celery import shared_task

from . import services


@shared_task(name="shouye.audit.tasks.seal_chain", ignore_result=True)
def seal_chain() -> int:
    """Celery beat "audit-seal", every minute: seal the events whose act committed but whose own sealing
    did not run (the process stopped between the commit and the seal, or the seal failed), and anchor the
    head when the anchor file does not reach it (an anchor write failed, or the file was rotated)."""
    sealed = services.seal()
    services.anchor_head()
    return sealed
